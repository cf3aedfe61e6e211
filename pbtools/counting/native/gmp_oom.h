/* GMP running out of memory as a Python MemoryError, not an abort of the process.
 *
 * GMP cannot report a failed allocation: its default allocator prints a line and aborts, so a huge or hostile
 * election would kill the kernel that serves everyone. The module _gmp_oom (gmp_oom.c) installs, once per process,
 * GMP memory functions that on a failure longjmp to the innermost frame armed on this thread (a stack per thread:
 * frames nest, the innermost catches); with no frame armed they abort as GMP's own do. _mesnative and _rulesnative
 * share one libgmp, hence one set of memory functions and one stack of frames: both reach it through the capsule
 * imported by gmp_oom_import() at their module init.
 *
 * In a function that calls GMP:
 *     gmp_oom_frame oom = {.live = 0};            (before any way out that reaches gmp_oom_leave)
 *     ...
 *     gmp_oom_enter(&oom, 0);                     (1: the region also makes Python C-API calls, see below)
 *     if (setjmp(oom.env)) { gmp_oom_failed(&oom); goto out; }     (MemoryError set, the frame already left)
 *     ... GMP calls ...
 *   out:
 *     gmp_oom_leave(&oom);                        (on every way out; nothing after a failure)
 * Rules:
 * - a local changed after setjmp is unreliable after the jump (C11 7.13.2.1): put setjmp after everything the
 *   cleanup reads has been set (or make those volatile);
 * - what a jump leaves must be safe to free: a count covers only mpq_t already initialised (mpq_init allocates the
 *   denominator's limb, mpz_init allocates nothing since GMP 6.2); zeroed memory is safe to clear. A number a failed
 *   operation was writing may be left inconsistent (GMP's manual calls a jump out of its allocator undefined: e.g.
 *   mpz_mul frees the old limbs and sets their count before it asks for the new ones; gmp_oom.c holds such blocks
 *   back so that they are freed once): it is only ever cleared, never read or written again. An object a failure
 *   leaves half updated (an Add1 run) is freed, never counted with again;
 * - GMP's own temporaries of the failed operation (TMP_ALLOC blocks of 64 KiB and more) and the local mpq_t/mpz_t
 *   of the C functions the jump leaves are not freed: a leak bounded by those few numbers, per failure;
 * - no longjmp may cross a Python frame: between setjmp and a GMP call there is only C. A region that makes Python
 *   C-API calls (building lists, tuples, ints, str) enters with python=1: the cyclic GC is off inside, since a
 *   collection runs finalizers (Python code, which might reach GMP); those calls run no Python code otherwise.
 */
#ifndef PBTOOLS_GMP_OOM_H
#define PBTOOLS_GMP_OOM_H

#include <Python.h>
#include <gmp.h>
#include <setjmp.h>

typedef struct gmp_oom_frame {
    jmp_buf env;
    struct gmp_oom_frame *prev;
    int live;    /* on this thread's stack of frames */
    int gc_was;  /* python regions: PyGC_Disable's answer (1: the GC was on); -1: the GC left alone */
} gmp_oom_frame;

typedef struct {
    void (*enter)(gmp_oom_frame *f, int python);
    void (*leave)(gmp_oom_frame *f);
    void (*failed)(gmp_oom_frame *f);  /* after the jump: the GC as it was, MemoryError set */
} gmp_oom_api;

#define GMP_OOM_CAPSULE "pbtools.counting.native._gmp_oom.api"

/* each extension's copy, set by gmp_oom_import() in its module init (hidden: one per extension, not per file) */
extern const gmp_oom_api *pbtools_gmp_oom __attribute__((visibility("hidden")));
#define GMP_OOM_DEFINE const gmp_oom_api *pbtools_gmp_oom = NULL;

/* (not PyCapsule_Import: it walks the path by attributes, which pbtools.counting lacks while it is being imported) */
static inline int gmp_oom_import(void) {
    PyObject *m = PyImport_ImportModule("pbtools.counting.native._gmp_oom");
    PyObject *cap = m ? PyObject_GetAttrString(m, "api") : NULL;
    Py_XDECREF(m);
    pbtools_gmp_oom = cap ? (const gmp_oom_api *)PyCapsule_GetPointer(cap, GMP_OOM_CAPSULE) : NULL;
    Py_XDECREF(cap);  /* the module keeps the capsule, and the API is static in _gmp_oom */
    return pbtools_gmp_oom ? 0 : -1;
}

static inline void gmp_oom_enter(gmp_oom_frame *f, int python) { pbtools_gmp_oom->enter(f, python); }
static inline void gmp_oom_leave(gmp_oom_frame *f) { if (f->live) pbtools_gmp_oom->leave(f); }
static inline void gmp_oom_failed(gmp_oom_frame *f) { pbtools_gmp_oom->failed(f); }

#endif
