//! -sys smoke test: the version, and one BFS and one Dijkstra on a small graph.
use arsenal_igraph_sys as sys;
use std::ffi::CStr;

#[test]
fn version_is_0_10() {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    let mut text = std::ptr::null();
    // SAFETY: four valid out-pointers.
    unsafe { sys::igraph_version(&mut text, &mut major, &mut minor, &mut patch) };
    assert_eq!((major, minor), (0, 10));
    // SAFETY: igraph returns a static NUL-terminated string.
    let text = unsafe { CStr::from_ptr(text) }.to_str().unwrap();
    assert!(text.starts_with("0.10"), "{text}");
}

#[test]
fn bfs_and_dijkstra_on_a_path() {
    // 0 - 1 - 2 - 3, plus 0 - 3 with weight 10; vertex 4 isolated.
    let edges = [0u32, 1, 1, 2, 2, 3, 0, 3];
    let weights = [1.0, 2.0, 3.0, 10.0];
    let mut g = std::ptr::null_mut();
    // SAFETY: 4 edges (8 ids < 5) and 4 weights; `g` is a valid out-pointer.
    let rc = unsafe { sys::arsenal_igraph_new(edges.as_ptr(), 4, 5, 0, weights.as_ptr(), &mut g) };
    assert_eq!(rc, sys::IGRAPH_SUCCESS);
    let (mut dist, mut parent) = ([0u32; 5], [0u32; 5]);
    // SAFETY: a live graph of 5 vertices and two arrays of 5.
    let rc = unsafe { sys::arsenal_igraph_bfs(g, 0, dist.as_mut_ptr(), parent.as_mut_ptr()) };
    assert_eq!(rc, sys::IGRAPH_SUCCESS);
    assert_eq!(dist, [0, 1, 2, 1, u32::MAX]);
    assert_eq!(parent[..2], [0, 0]);
    assert_eq!(parent[4], u32::MAX);
    let mut d = [0f64; 5];
    // SAFETY: as above.
    let rc = unsafe { sys::arsenal_igraph_dijkstra(g, 0, d.as_mut_ptr(), parent.as_mut_ptr()) };
    assert_eq!(rc, sys::IGRAPH_SUCCESS);
    assert_eq!(d, [0.0, 1.0, 3.0, 6.0, f64::INFINITY]);
    assert_eq!(parent, [0, 0, 1, 2, u32::MAX]);
    // SAFETY: a vertex out of range gives an error code, never an abort.
    let rc = unsafe { sys::arsenal_igraph_bfs(g, 99, dist.as_mut_ptr(), parent.as_mut_ptr()) };
    assert_eq!(rc, sys::IGRAPH_EINVVID);
    // A bad edge list (id 7 ≥ n = 5) is an error code, not a graph with more vertices.
    let bad = [0u32, 7];
    let mut h = std::ptr::null_mut();
    // SAFETY: one edge (two ids), no weights, a valid out-pointer.
    let rc = unsafe { sys::arsenal_igraph_new(bad.as_ptr(), 1, 5, 1, std::ptr::null(), &mut h) };
    assert_ne!(rc, sys::IGRAPH_SUCCESS);
    assert!(h.is_null());
    // SAFETY: igraph_strerror returns a static string for every code.
    let msg = unsafe { CStr::from_ptr(sys::igraph_strerror(rc)) };
    assert!(!msg.to_bytes().is_empty());
    // SAFETY: `g` came from arsenal_igraph_new; `h` is null.
    unsafe {
        sys::arsenal_igraph_free(g);
        sys::arsenal_igraph_free(h);
    }
}
