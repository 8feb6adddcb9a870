/* Our shim over libvpx's VP9 decoder (not upstream code): the ABI-versioned init macro,
 * the decode/get_frame loop, error strings, and vpx_image_t flattened into
 * arsenal_vpx_image so that Rust declares only this file's types. */
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <vpx/vpx_decoder.h>
#include <vpx/vp8dx.h>

typedef struct arsenal_vpx_image {
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
} arsenal_vpx_image;

typedef struct arsenal_vpx_decoder {
    vpx_codec_ctx_t ctx;
    vpx_codec_iter_t iter;
} arsenal_vpx_decoder;

const char *arsenal_vpx_version(void) { return vpx_codec_version_str(); }

/* 0 on success; otherwise an vpx_codec_err_t with the message copied into err. */
int arsenal_vpx_dec_open(arsenal_vpx_decoder **out, unsigned threads, char *err, size_t err_len) {
    *out = NULL;
    arsenal_vpx_decoder *dec = calloc(1, sizeof *dec);
    if (!dec) return VPX_CODEC_MEM_ERROR;
    vpx_codec_dec_cfg_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.threads = threads;
    vpx_codec_err_t rc = vpx_codec_dec_init(&dec->ctx, vpx_codec_vp9_dx(), &cfg, 0);
    if (rc != VPX_CODEC_OK) {
        if (err && err_len) {
            strncpy(err, vpx_codec_err_to_string(rc), err_len - 1);
            err[err_len - 1] = 0;
        }
        free(dec);
        return (int)rc;
    }
    *out = dec;
    return 0;
}

/* Decodes one frame (data NULL, len 0: flush). 0 or an vpx_codec_err_t. */
int arsenal_vpx_dec_decode(arsenal_vpx_decoder *dec, const uint8_t *data, size_t len) {
    dec->iter = NULL;
    if (len > 0xFFFFFFFFu) return VPX_CODEC_INVALID_PARAM; /* data_sz is unsigned int */
    return (int)vpx_codec_decode(&dec->ctx, data, (unsigned int)len, NULL, 0);
}

/* 1 and *img filled when a frame is ready, 0 when none is left. The planes stay valid
 * until the next arsenal_vpx_dec_decode or arsenal_vpx_dec_close. */
int arsenal_vpx_dec_next(arsenal_vpx_decoder *dec, arsenal_vpx_image *img) {
    vpx_image_t *a = vpx_codec_get_frame(&dec->ctx, &dec->iter);
    if (!a) return 0;
    memset(img, 0, sizeof *img);
    for (int i = 0; i < 3; i++) {
        img->planes[i] = a->planes[i];
        img->strides[i] = a->stride[i];
    }
    img->width = a->d_w;
    img->height = a->d_h;
    img->bit_depth = a->bit_depth;
    img->bytes_per_sample = (a->fmt & VPX_IMG_FMT_HIGHBITDEPTH) ? 2 : 1;
    img->chroma_shift_x = a->x_chroma_shift;
    img->chroma_shift_y = a->y_chroma_shift;
    /* VP9 signals only a colour space (the matrix); primaries and transfer are
     * "unspecified" (2) in CICP terms. */
    img->monochrome = 0;
    img->primaries = 2;
    img->transfer = 2;
    switch (a->cs) {
    case VPX_CS_BT_601: img->matrix = 6; break;
    case VPX_CS_BT_709: img->matrix = 1; break;
    case VPX_CS_SMPTE_170: img->matrix = 6; break;
    case VPX_CS_SMPTE_240: img->matrix = 7; break;
    case VPX_CS_BT_2020: img->matrix = 9; break;
    case VPX_CS_SRGB: img->matrix = 0; break;
    default: img->matrix = 2; break;
    }
    img->full_range = a->range == VPX_CR_FULL_RANGE;
    return 1;
}

/* The last error's message and detail, "msg: detail", copied into buf. */
void arsenal_vpx_dec_error(arsenal_vpx_decoder *dec, char *buf, size_t len) {
    if (!buf || !len) return;
    const char *msg = vpx_codec_error(&dec->ctx);
    const char *detail = vpx_codec_error_detail(&dec->ctx);
    if (!msg) msg = "unknown error";
    if (detail && *detail)
        snprintf(buf, len, "%s: %s", msg, detail);
    else
        snprintf(buf, len, "%s", msg);
}

void arsenal_vpx_dec_close(arsenal_vpx_decoder *dec) {
    if (!dec) return;
    vpx_codec_destroy(&dec->ctx);
    free(dec);
}
