//! Finds libvorbisfile, libvorbisenc, libvorbis 1.3.x and libogg 1.3.x through
//! `arsenal-build` (Debian's `libvorbis-dev` and `libogg-dev` ship `vorbisfile.pc`,
//! `vorbisenc.pc`, `vorbis.pc` and `ogg.pc`; the system paths are a fallback), compiles
//! our shim `shim/arsenal_vorbis.c` (an in-memory Ogg Vorbis encoder over libvorbisenc's
//! public API, and `sizeof(OggVorbis_File)`), and links them dynamically.
fn main() {
    let find = |name: &str, header: &str, pc: &str, packages: &[&str]| {
        arsenal_build::Library::new(name)
            .header(header)
            .lib_names(&[name])
            .pkg_config(pc, "1.3", "2")
            .system_paths(true)
            .debian_packages(packages)
            .find()
    };
    let vorbisfile = find(
        "vorbisfile",
        "vorbis/vorbisfile.h",
        "vorbisfile",
        &["libvorbis-dev"],
    );
    let vorbisenc = find(
        "vorbisenc",
        "vorbis/vorbisenc.h",
        "vorbisenc",
        &["libvorbis-dev"],
    );
    let vorbis = find("vorbis", "vorbis/codec.h", "vorbis", &["libvorbis-dev"]);
    let ogg = find("ogg", "ogg/ogg.h", "ogg", &["libogg-dev"]);
    println!("cargo:rerun-if-changed=shim/arsenal_vorbis.c");
    vorbisfile
        .shim_build()
        .file("shim/arsenal_vorbis.c")
        .compile("arsenal_vorbis_shim");
    for found in [&vorbisfile, &vorbisenc, &vorbis, &ogg] {
        found.link();
    }
    vorbis.emit_metadata();
}
