/* Our shim over libaom's AV1 decoder (not upstream code): the ABI-versioned init macro,
 * the decode/get_frame loop, error strings, and aom_image_t flattened into
 * arsenal_aom_image so that Rust declares only this file's types. */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <aom/aom_decoder.h>
#include <aom/aomdx.h>

typedef struct arsenal_aom_image {
    const uint8_t *planes[3];
    int strides[3];
    unsigned width;
    unsigned height;
    unsigned bit_depth;
    unsigned bytes_per_sample;
    unsigned chroma_shift_x;
    unsigned chroma_shift_y;
    int monochrome;
    int primaries;
    int transfer;
    int matrix;
    int full_range;
} arsenal_aom_image;

typedef struct arsenal_aom_decoder {
    aom_codec_ctx_t ctx;
    aom_codec_iter_t iter;
} arsenal_aom_decoder;

const char *arsenal_aom_version(void) { return aom_codec_version_str(); }

/* 0 on success; otherwise an aom_codec_err_t with the message copied into err. */
int arsenal_aom_dec_open(arsenal_aom_decoder **out, unsigned threads, char *err, size_t err_len) {
    *out = NULL;
    arsenal_aom_decoder *dec = calloc(1, sizeof *dec);
    if (!dec) return AOM_CODEC_MEM_ERROR;
    aom_codec_dec_cfg_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.threads = threads;
    cfg.allow_lowbitdepth = 1;
    aom_codec_err_t rc = aom_codec_dec_init(&dec->ctx, aom_codec_av1_dx(), &cfg, 0);
    if (rc != AOM_CODEC_OK) {
        if (err && err_len) {
            strncpy(err, aom_codec_err_to_string(rc), err_len - 1);
            err[err_len - 1] = 0;
        }
        free(dec);
        return (int)rc;
    }
    *out = dec;
    return 0;
}

/* Decodes one temporal unit (data NULL, len 0: flush). 0 or an aom_codec_err_t. */
int arsenal_aom_dec_decode(arsenal_aom_decoder *dec, const uint8_t *data, size_t len) {
    dec->iter = NULL;
    return (int)aom_codec_decode(&dec->ctx, data, len, NULL);
}

/* 1 and *img filled when a frame is ready, 0 when none is left. The planes stay valid
 * until the next arsenal_aom_dec_decode or arsenal_aom_dec_close. */
int arsenal_aom_dec_next(arsenal_aom_decoder *dec, arsenal_aom_image *img) {
    aom_image_t *a = aom_codec_get_frame(&dec->ctx, &dec->iter);
    if (!a) return 0;
    memset(img, 0, sizeof *img);
    for (int i = 0; i < 3; i++) {
        img->planes[i] = a->planes[i];
        img->strides[i] = a->stride[i];
    }
    img->width = a->d_w;
    img->height = a->d_h;
    img->bit_depth = a->bit_depth;
    img->bytes_per_sample = (a->fmt & AOM_IMG_FMT_HIGHBITDEPTH) ? 2 : 1;
    img->chroma_shift_x = a->x_chroma_shift;
    img->chroma_shift_y = a->y_chroma_shift;
    img->monochrome = a->monochrome;
    img->primaries = (int)a->cp;
    img->transfer = (int)a->tc;
    img->matrix = (int)a->mc;
    img->full_range = a->range == AOM_CR_FULL_RANGE;
    return 1;
}

/* The last error's message and detail, "msg: detail", copied into buf. */
void arsenal_aom_dec_error(arsenal_aom_decoder *dec, char *buf, size_t len) {
    if (!buf || !len) return;
    const char *msg = aom_codec_error(&dec->ctx);
    const char *detail = aom_codec_error_detail(&dec->ctx);
    if (!msg) msg = "unknown error";
    if (detail && *detail)
        snprintf(buf, len, "%s: %s", msg, detail);
    else
        snprintf(buf, len, "%s", msg);
}

void arsenal_aom_dec_close(arsenal_aom_decoder *dec) {
    if (!dec) return;
    aom_codec_destroy(&dec->ctx);
    free(dec);
}
