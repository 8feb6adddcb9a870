/* Arsenal's shim over igraph 0.10: owns the igraph_t (and the edge weights) on the C
 * side and exposes plain-array entry points, so that the Rust side depends on no igraph
 * struct layout and no igraph macro (VECTOR, igraph_vss_all's struct return).
 *
 * Every entry point first installs igraph's "ignore" error and warning handlers: the
 * default error handler aborts the process. This igraph build has IGRAPH_THREAD_SAFE 0
 * (one global error/finally stack), so callers must serialise every call into this
 * shim (the safe crate holds one process-wide lock). */
#include <igraph.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arsenal_igraph {
    igraph_t graph;
    igraph_vector_t weights;
    int weighted;
};

static void arsenal_igraph_quiet(void) {
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
}

int arsenal_igraph_new(const uint32_t *edges, size_t m, int64_t n, int directed,
                       const double *weights, struct arsenal_igraph **out) {
    arsenal_igraph_quiet();
    *out = NULL;
    if (n < 0 || m > (size_t)(INT64_MAX / 2)) {
        return IGRAPH_EINVAL;
    }
    /* igraph_create adds vertices for ids >= n; this shim rejects them instead. */
    for (size_t i = 0; i < 2 * m; i++) {
        if ((int64_t)edges[i] >= n) {
            return IGRAPH_EINVVID;
        }
    }
    struct arsenal_igraph *g = calloc(1, sizeof *g);
    if (g == NULL) {
        return IGRAPH_ENOMEM;
    }
    igraph_vector_int_t list;
    igraph_error_t rc = igraph_vector_int_init(&list, (igraph_integer_t)(2 * m));
    if (rc != IGRAPH_SUCCESS) {
        free(g);
        return rc;
    }
    for (size_t i = 0; i < 2 * m; i++) {
        VECTOR(list)[i] = (igraph_integer_t)edges[i];
    }
    rc = igraph_create(&g->graph, &list, (igraph_integer_t)n, directed ? IGRAPH_DIRECTED : IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&list);
    if (rc != IGRAPH_SUCCESS) {
        free(g);
        return rc;
    }
    if (weights != NULL) {
        rc = igraph_vector_init(&g->weights, (igraph_integer_t)m);
        if (rc != IGRAPH_SUCCESS) {
            igraph_destroy(&g->graph);
            free(g);
            return rc;
        }
        if (m > 0) {
            memcpy(VECTOR(g->weights), weights, m * sizeof(double));
        }
        g->weighted = 1;
    }
    *out = g;
    return IGRAPH_SUCCESS;
}

void arsenal_igraph_free(struct arsenal_igraph *g) {
    if (g == NULL) {
        return;
    }
    if (g->weighted) {
        igraph_vector_destroy(&g->weights);
    }
    igraph_destroy(&g->graph);
    free(g);
}

int64_t arsenal_igraph_vcount(const struct arsenal_igraph *g) {
    return (int64_t)igraph_vcount(&g->graph);
}

int64_t arsenal_igraph_ecount(const struct arsenal_igraph *g) {
    return (int64_t)igraph_ecount(&g->graph);
}

int arsenal_igraph_bfs(const struct arsenal_igraph *g, int64_t root, uint32_t *dist,
                       uint32_t *parent) {
    arsenal_igraph_quiet();
    igraph_integer_t n = igraph_vcount(&g->graph);
    if (root < 0 || root >= n) {
        return IGRAPH_EINVVID;
    }
    igraph_vector_int_t parents, dists;
    igraph_error_t rc = igraph_vector_int_init(&parents, 0);
    if (rc != IGRAPH_SUCCESS) {
        return rc;
    }
    rc = igraph_vector_int_init(&dists, 0);
    if (rc != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(&parents);
        return rc;
    }
    rc = igraph_bfs(&g->graph, (igraph_integer_t)root, NULL, IGRAPH_OUT, 0, NULL, NULL, NULL,
                    &parents, NULL, NULL, &dists, NULL, NULL);
    if (rc == IGRAPH_SUCCESS) {
        for (igraph_integer_t v = 0; v < n; v++) {
            igraph_integer_t d = VECTOR(dists)[v];
            igraph_integer_t p = VECTOR(parents)[v];
            /* igraph 0.10: the root's parent is -1, vertices not reached have a negative
             * parent and distance. */
            if (v == root) {
                dist[v] = 0;
                parent[v] = (uint32_t)root;
            } else if (d < 0 || p < 0 || d >= (igraph_integer_t)UINT32_MAX) {
                dist[v] = UINT32_MAX;
                parent[v] = UINT32_MAX;
            } else {
                dist[v] = (uint32_t)d;
                parent[v] = (uint32_t)p;
            }
        }
    }
    igraph_vector_int_destroy(&dists);
    igraph_vector_int_destroy(&parents);
    return rc;
}

int arsenal_igraph_dijkstra(const struct arsenal_igraph *g, int64_t root, double *dist,
                            uint32_t *parent) {
    arsenal_igraph_quiet();
    igraph_integer_t n = igraph_vcount(&g->graph);
    if (root < 0 || root >= n) {
        return IGRAPH_EINVVID;
    }
    igraph_vector_int_t parents, inbound;
    igraph_error_t rc = igraph_vector_int_init(&parents, 0);
    if (rc != IGRAPH_SUCCESS) {
        return rc;
    }
    rc = igraph_vector_int_init(&inbound, 0);
    if (rc != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(&parents);
        return rc;
    }
    rc = igraph_get_shortest_paths_dijkstra(&g->graph, NULL, NULL, (igraph_integer_t)root,
                                            igraph_vss_all(),
                                            g->weighted ? &g->weights : NULL, IGRAPH_OUT,
                                            &parents, &inbound);
    uint32_t *stack = NULL;
    if (rc == IGRAPH_SUCCESS && n > 0) {
        stack = malloc((size_t)n * sizeof *stack);
        if (stack == NULL) {
            rc = IGRAPH_ENOMEM;
        }
    }
    if (rc == IGRAPH_SUCCESS) {
        /* igraph gives the shortest-path tree (parents, and the edge into each vertex);
         * the distances are summed along it: NaN marks "not yet known". */
        for (igraph_integer_t v = 0; v < n; v++) {
            dist[v] = NAN;
        }
        dist[root] = 0.0;
        parent[root] = (uint32_t)root;
        for (igraph_integer_t v = 0; v < n; v++) {
            size_t top = 0;
            igraph_integer_t u = v;
            while (isnan(dist[u])) {
                if (VECTOR(parents)[u] < 0) {
                    dist[u] = INFINITY;
                    parent[u] = UINT32_MAX;
                    break;
                }
                stack[top++] = (uint32_t)u;
                u = VECTOR(parents)[u];
            }
            while (top > 0) {
                uint32_t w = stack[--top];
                igraph_integer_t p = VECTOR(parents)[w];
                double step = g->weighted ? VECTOR(g->weights)[VECTOR(inbound)[w]] : 1.0;
                dist[w] = dist[p] + step;
                parent[w] = (uint32_t)p;
            }
        }
    }
    free(stack);
    igraph_vector_int_destroy(&inbound);
    igraph_vector_int_destroy(&parents);
    return rc;
}
