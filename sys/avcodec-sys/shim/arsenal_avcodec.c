/* Our shim over libavcodec 5.x (not upstream code): decoders opened by codec, the
 * send_packet/receive_frame loop with EAGAIN/EOF folded into return codes, AVFrame
 * flattened into arsenal_avc_image (Rust never mirrors FFmpeg's struct layouts), and an
 * H.264 encoder through libx264 that the tests and benchmarks use to make streams. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>

enum { ARSENAL_AVC_H264 = 1, ARSENAL_AVC_VP9 = 2 };
enum { ARSENAL_AVC_FRAME = 0, ARSENAL_AVC_AGAIN = 1, ARSENAL_AVC_EOF = 2 };

typedef struct arsenal_avc_image {
    const uint8_t *planes[3];
    int strides[3];
    int width;
    int height;
    int bit_depth;
    int bytes_per_sample;
    int chroma_shift_x;
    int chroma_shift_y;
    int monochrome;
    int primaries;
    int transfer;
    int matrix;
    int full_range;
    int64_t pts;
    int has_pts;
} arsenal_avc_image;

typedef struct arsenal_avc_decoder {
    AVCodecContext *ctx;
    AVPacket *pkt;
} arsenal_avc_decoder;

unsigned arsenal_avc_version(void) { return avcodec_version(); }

void arsenal_avc_strerror(int err, char *buf, size_t len) {
    if (!buf || !len) return;
    if (av_strerror(err, buf, len) < 0) snprintf(buf, len, "libavcodec error %d", err);
}

static void set_err(char *err, size_t len, const char *msg) {
    if (err && len) {
        strncpy(err, msg, len - 1);
        err[len - 1] = 0;
    }
}

/* 0, or a negative AVERROR with a message in err. threads >= 1; frame_threads != 0
 * allows frame threading (adds output delay), else slice threading only. */
int arsenal_avc_dec_open(arsenal_avc_decoder **out, int codec, int threads, int frame_threads,
                         int64_t max_pixels, char *err, size_t err_len) {
    *out = NULL;
    enum AVCodecID id;
    switch (codec) {
    case ARSENAL_AVC_H264: id = AV_CODEC_ID_H264; break;
    case ARSENAL_AVC_VP9: id = AV_CODEC_ID_VP9; break;
    default: set_err(err, err_len, "unknown codec"); return AVERROR(EINVAL);
    }
    const AVCodec *c = avcodec_find_decoder(id);
    if (!c) { set_err(err, err_len, "libavcodec has no decoder for this codec"); return AVERROR_DECODER_NOT_FOUND; }
    arsenal_avc_decoder *dec = calloc(1, sizeof *dec);
    if (!dec) return AVERROR(ENOMEM);
    dec->ctx = avcodec_alloc_context3(c);
    dec->pkt = av_packet_alloc();
    if (!dec->ctx || !dec->pkt) {
        avcodec_free_context(&dec->ctx);
        av_packet_free(&dec->pkt);
        free(dec);
        return AVERROR(ENOMEM);
    }
    dec->ctx->thread_count = threads;
    dec->ctx->thread_type = frame_threads ? (FF_THREAD_FRAME | FF_THREAD_SLICE) : FF_THREAD_SLICE;
    if (max_pixels > 0) dec->ctx->max_pixels = max_pixels;
    int rc = avcodec_open2(dec->ctx, c, NULL);
    if (rc < 0) {
        arsenal_avc_strerror(rc, err, err_len);
        avcodec_free_context(&dec->ctx);
        av_packet_free(&dec->pkt);
        free(dec);
        return rc;
    }
    *out = dec;
    return 0;
}

/* Sends one packet (copied, with FFmpeg's padding); data NULL signals end of stream.
 * 0, ARSENAL_AVC_AGAIN (receive frames first), ARSENAL_AVC_EOF (already flushed), or a
 * negative AVERROR. */
int arsenal_avc_dec_send(arsenal_avc_decoder *dec, const uint8_t *data, size_t len, int64_t pts,
                         int has_pts) {
    int rc;
    if (!data) {
        rc = avcodec_send_packet(dec->ctx, NULL);
    } else {
        if (len > (size_t)INT32_MAX - AV_INPUT_BUFFER_PADDING_SIZE) return AVERROR(EINVAL);
        av_packet_unref(dec->pkt);
        rc = av_new_packet(dec->pkt, (int)len);
        if (rc < 0) return rc;
        memcpy(dec->pkt->data, data, len);
        dec->pkt->pts = has_pts ? pts : AV_NOPTS_VALUE;
        rc = avcodec_send_packet(dec->ctx, dec->pkt);
        av_packet_unref(dec->pkt);
    }
    if (rc == AVERROR(EAGAIN)) return ARSENAL_AVC_AGAIN;
    if (rc == AVERROR_EOF) return ARSENAL_AVC_EOF;
    return rc;
}

static void fill_image(const AVFrame *f, arsenal_avc_image *img) {
    memset(img, 0, sizeof *img);
    const AVPixFmtDescriptor *d = av_pix_fmt_desc_get(f->format);
    for (int i = 0; i < 3; i++) {
        img->planes[i] = f->data[i];
        img->strides[i] = f->linesize[i];
    }
    img->width = f->width;
    img->height = f->height;
    if (d) {
        img->bit_depth = d->comp[0].depth;
        img->bytes_per_sample = d->comp[0].step;
        img->chroma_shift_x = d->log2_chroma_w;
        img->chroma_shift_y = d->log2_chroma_h;
        img->monochrome = d->nb_components == 1;
        /* Only planar YUV is described by this struct. */
        if ((d->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL |
                         AV_PIX_FMT_FLAG_BITSTREAM)) ||
            ((d->flags & AV_PIX_FMT_FLAG_BE) && d->comp[0].step > 1) ||
            (d->nb_components != 1 && !(d->flags & AV_PIX_FMT_FLAG_PLANAR)) ||
            d->nb_components == 2 || d->nb_components > 3 || d->comp[0].shift != 0)
            img->bit_depth = 0; /* unsupported layout */
    }
    if (img->monochrome) {
        img->planes[1] = img->planes[2] = NULL;
        img->strides[1] = img->strides[2] = 0;
    }
    img->primaries = f->color_primaries;
    img->transfer = f->color_trc;
    img->matrix = f->colorspace;
    img->full_range = f->color_range == AVCOL_RANGE_JPEG || f->format == AV_PIX_FMT_YUVJ420P ||
                      f->format == AV_PIX_FMT_YUVJ422P || f->format == AV_PIX_FMT_YUVJ444P;
    int64_t pts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
    img->has_pts = pts != AV_NOPTS_VALUE;
    img->pts = img->has_pts ? pts : 0;
}

/* Receives a frame: ARSENAL_AVC_FRAME with *out a new reference (free it with
 * arsenal_avc_frame_free; its planes stay valid until then) and img filled;
 * ARSENAL_AVC_AGAIN; ARSENAL_AVC_EOF; or a negative AVERROR. */
int arsenal_avc_dec_receive(arsenal_avc_decoder *dec, AVFrame **out, arsenal_avc_image *img) {
    *out = NULL;
    AVFrame *f = av_frame_alloc();
    if (!f) return AVERROR(ENOMEM);
    int rc = avcodec_receive_frame(dec->ctx, f);
    if (rc < 0) {
        av_frame_free(&f);
        if (rc == AVERROR(EAGAIN)) return ARSENAL_AVC_AGAIN;
        if (rc == AVERROR_EOF) return ARSENAL_AVC_EOF;
        return rc;
    }
    fill_image(f, img);
    *out = f;
    return ARSENAL_AVC_FRAME;
}

void arsenal_avc_frame_free(AVFrame *f) { av_frame_free(&f); }

/* Ready for a new stream (after end of stream or an error). */
void arsenal_avc_dec_reset(arsenal_avc_decoder *dec) { avcodec_flush_buffers(dec->ctx); }

void arsenal_avc_dec_close(arsenal_avc_decoder *dec) {
    if (!dec) return;
    avcodec_free_context(&dec->ctx);
    av_packet_free(&dec->pkt);
    free(dec);
}

/* ---- H.264 encoding through libx264 (tests and benchmarks make streams with it) ---- */

typedef struct arsenal_avc_encoder {
    AVCodecContext *ctx;
    AVFrame *frame;
    AVPacket *pkt;
} arsenal_avc_encoder;

/* 0, or a negative AVERROR with a message in err. bit_depth 8 or 10 (4:2:0); qp is the
 * constant quantiser (0-51), gop the keyframe interval, bframes the B-frame count. */
int arsenal_avc_h264_enc_open(arsenal_avc_encoder **out, int width, int height, int bit_depth,
                              int qp, int gop, int bframes, char *err, size_t err_len) {
    *out = NULL;
    const AVCodec *c = avcodec_find_encoder_by_name("libx264");
    if (!c) { set_err(err, err_len, "libavcodec was built without libx264"); return AVERROR_ENCODER_NOT_FOUND; }
    if (width <= 0 || height <= 0 || (bit_depth != 8 && bit_depth != 10) || qp < 0 || qp > 51 ||
        gop <= 0 || bframes < 0 || bframes > 16) {
        set_err(err, err_len, "invalid encoder parameters");
        return AVERROR(EINVAL);
    }
    arsenal_avc_encoder *enc = calloc(1, sizeof *enc);
    if (!enc) return AVERROR(ENOMEM);
    enc->ctx = avcodec_alloc_context3(c);
    enc->frame = av_frame_alloc();
    enc->pkt = av_packet_alloc();
    int rc = AVERROR(ENOMEM);
    if (!enc->ctx || !enc->frame || !enc->pkt) goto fail;
    enc->ctx->width = width;
    enc->ctx->height = height;
    enc->ctx->pix_fmt = bit_depth == 8 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUV420P10LE;
    enc->ctx->time_base = (AVRational){1, 25};
    enc->ctx->framerate = (AVRational){25, 1};
    enc->ctx->gop_size = gop;
    enc->ctx->max_b_frames = bframes;
    enc->ctx->thread_count = 1;
    av_opt_set(enc->ctx->priv_data, "preset", "veryfast", 0);
    av_opt_set_int(enc->ctx->priv_data, "qp", qp, 0);
    /* x264 prints its statistics through av_log at close; keep test output clean. */
    av_opt_set(enc->ctx->priv_data, "x264-params", "log=-1", 0);
    rc = avcodec_open2(enc->ctx, c, NULL);
    if (rc < 0) goto fail;
    enc->frame->format = enc->ctx->pix_fmt;
    enc->frame->width = width;
    enc->frame->height = height;
    rc = av_frame_get_buffer(enc->frame, 0);
    if (rc < 0) goto fail;
    *out = enc;
    return 0;
fail:
    arsenal_avc_strerror(rc, err, err_len);
    avcodec_free_context(&enc->ctx);
    av_frame_free(&enc->frame);
    av_packet_free(&enc->pkt);
    free(enc);
    return rc;
}

/* Sends one picture (planes of the open size and bit depth, 2 bytes per sample for 10
 * bits; strides in bytes), or end of stream when planes is NULL. 0 or AVERROR. */
int arsenal_avc_h264_enc_send(arsenal_avc_encoder *enc, const uint8_t *const planes[3],
                              const int strides[3], int64_t pts) {
    if (!planes) return avcodec_send_frame(enc->ctx, NULL);
    int rc = av_frame_make_writable(enc->frame);
    if (rc < 0) return rc;
    int bps = enc->ctx->pix_fmt == AV_PIX_FMT_YUV420P ? 1 : 2;
    for (int p = 0; p < 3; p++) {
        int w = p ? (enc->ctx->width + 1) / 2 : enc->ctx->width;
        int h = p ? (enc->ctx->height + 1) / 2 : enc->ctx->height;
        av_image_copy_plane(enc->frame->data[p], enc->frame->linesize[p], planes[p], strides[p],
                            w * bps, h);
    }
    enc->frame->pts = pts;
    return avcodec_send_frame(enc->ctx, enc->frame);
}

/* The next packet: ARSENAL_AVC_FRAME with data and len valid until the next call,
 * ARSENAL_AVC_AGAIN, ARSENAL_AVC_EOF, or a negative AVERROR. */
int arsenal_avc_h264_enc_receive(arsenal_avc_encoder *enc, const uint8_t **data, size_t *len) {
    *data = NULL;
    *len = 0;
    av_packet_unref(enc->pkt);
    int rc = avcodec_receive_packet(enc->ctx, enc->pkt);
    if (rc == AVERROR(EAGAIN)) return ARSENAL_AVC_AGAIN;
    if (rc == AVERROR_EOF) return ARSENAL_AVC_EOF;
    if (rc < 0) return rc;
    *data = enc->pkt->data;
    *len = (size_t)enc->pkt->size;
    return ARSENAL_AVC_FRAME;
}

void arsenal_avc_h264_enc_close(arsenal_avc_encoder *enc) {
    if (!enc) return;
    avcodec_free_context(&enc->ctx);
    av_frame_free(&enc->frame);
    av_packet_free(&enc->pkt);
    free(enc);
}
