/* Our shim over libvorbisenc/libvorbisfile's public API (written for Arsenal, not
 * upstream code): the size of OggVorbis_File, so that Rust can allocate one without
 * declaring its layout, and a whole-stream in-memory Ogg Vorbis encoder, so that Rust
 * need not declare the encoder's structs (vorbis_dsp_state, vorbis_block, ogg_*). */
#include <stdlib.h>
#include <string.h>
#include <vorbis/codec.h>
#include <vorbis/vorbisenc.h>
#include <vorbis/vorbisfile.h>

size_t arsenal_ov_sizeof(void) { return sizeof(OggVorbis_File); }

#define ARSENAL_VORBIS_ENOMEM (-1000)

typedef struct {
    unsigned char *data;
    size_t len;
    size_t cap;
    int failed;
} out_buf;

static void append(out_buf *out, const unsigned char *bytes, long n) {
    if (out->failed || n <= 0) return;
    if (out->len + (size_t)n > out->cap) {
        size_t cap = out->cap ? out->cap : 4096;
        while (cap < out->len + (size_t)n) cap *= 2;
        unsigned char *grown = realloc(out->data, cap);
        if (!grown) { out->failed = 1; return; }
        out->data = grown;
        out->cap = cap;
    }
    memcpy(out->data + out->len, bytes, (size_t)n);
    out->len += (size_t)n;
}

static void append_page(out_buf *out, const ogg_page *page) {
    append(out, page->header, page->header_len);
    append(out, page->body, page->body_len);
}

static void drain(vorbis_dsp_state *vd, vorbis_block *vb, ogg_stream_state *os, out_buf *out) {
    ogg_packet packet;
    ogg_page page;
    while (vorbis_analysis_blockout(vd, vb) == 1) {
        vorbis_analysis(vb, NULL);
        vorbis_bitrate_addblock(vb);
        while (vorbis_bitrate_flushpacket(vd, &packet)) {
            ogg_stream_packetin(os, &packet);
            while (ogg_stream_pageout(os, &page)) append_page(out, &page);
        }
    }
}

/* Encodes `frames` frames of interleaved float PCM (nominal range +-1) with `channels`
 * channels at `rate` Hz, VBR quality `quality` (-0.1 .. 1.0), into one Ogg Vorbis stream
 * with serial number `serial`. On success returns 0 and hands `*out` (free it with
 * arsenal_vorbis_free) and `*out_len`; otherwise a libvorbis error code (OV_EINVAL,
 * OV_EIMPL, ...) or ARSENAL_VORBIS_ENOMEM, and `*out` is NULL. */
int arsenal_vorbis_encode(const float *pcm, long frames, int channels, long rate,
                          float quality, int serial, unsigned char **out, size_t *out_len) {
    vorbis_info vi;
    vorbis_comment vc;
    vorbis_dsp_state vd;
    vorbis_block vb;
    ogg_stream_state os;
    ogg_packet header, header_comment, header_code;
    ogg_page page;
    out_buf buf = {NULL, 0, 0, 0};
    long done = 0;
    int ret;

    *out = NULL;
    *out_len = 0;
    if (channels <= 0 || rate <= 0 || frames < 0) return OV_EINVAL;
    vorbis_info_init(&vi);
    ret = vorbis_encode_init_vbr(&vi, channels, rate, quality);
    if (ret != 0) {
        vorbis_info_clear(&vi);
        return ret;
    }
    vorbis_comment_init(&vc);
    vorbis_comment_add_tag(&vc, "ENCODER", "arsenal-audio");
    vorbis_analysis_init(&vd, &vi);
    vorbis_block_init(&vd, &vb);
    ogg_stream_init(&os, serial);

    vorbis_analysis_headerout(&vd, &vc, &header, &header_comment, &header_code);
    ogg_stream_packetin(&os, &header);
    ogg_stream_packetin(&os, &header_comment);
    ogg_stream_packetin(&os, &header_code);
    while (ogg_stream_flush(&os, &page)) append_page(&buf, &page);

    while (done < frames && !buf.failed) {
        long n = frames - done < 1024 ? frames - done : 1024;
        float **buffer = vorbis_analysis_buffer(&vd, (int)n);
        for (long i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                buffer[c][i] = pcm[(done + i) * channels + c];
        vorbis_analysis_wrote(&vd, (int)n);
        drain(&vd, &vb, &os, &buf);
        done += n;
    }
    vorbis_analysis_wrote(&vd, 0);
    drain(&vd, &vb, &os, &buf);
    while (ogg_stream_flush(&os, &page)) append_page(&buf, &page);

    ogg_stream_clear(&os);
    vorbis_block_clear(&vb);
    vorbis_dsp_clear(&vd);
    vorbis_comment_clear(&vc);
    vorbis_info_clear(&vi);
    if (buf.failed) {
        free(buf.data);
        return ARSENAL_VORBIS_ENOMEM;
    }
    *out = buf.data;
    *out_len = buf.len;
    return 0;
}

void arsenal_vorbis_free(unsigned char *data) { free(data); }
