package dev.throughline.storage.importer.chrome;

import dev.throughline.storage.Category;

/**
 * The mapping between Chrome / Kineto {@code cat} strings and our {@link Category}, shared by the
 * importer and the exporter so that a round trip keeps every slice in its category.
 *
 * <p>Import: Kineto's names (and the 2021 capitalised ones: {@code Kernel}, {@code Memcpy},
 * {@code Memset}, {@code Runtime}, {@code Operator}), plus our own labels for the categories Kineto
 * has no name for ({@code request}, {@code phase}, {@code data_wait}, {@code data_fetch}, {@code gc},
 * {@code step}); a host-side slice named {@code ProfilerStep#N} is a step whatever its cat; anything
 * else is {@link Category#USER}. Export: the canonical cat of a category, see {@link #canonicalCat}.
 */
public final class ChromeCategories {
    /** Kineto's cat for GPU-side copies of user annotations (and of ProfilerStep#N). */
    public static final String GPU_USER_ANNOTATION = "gpu_user_annotation";
    public static final String USER_ANNOTATION = "user_annotation";
    /** Kineto's category of the span covering the whole profiling session ("PyTorch Profiler (0)"). */
    public static final String PROFILER_SESSION = "Trace";
    private static final String STEP_PREFIX = "ProfilerStep#";

    private ChromeCategories() {
    }

    /** Our category for a raw {@code cat} (null when absent), before the ProfilerStep rule. */
    public static Category ofCat(String cat) {
        if (cat == null) {
            return Category.USER;
        }
        switch (cat) {
            case "kernel":
            case "Kernel":
                return Category.KERNEL;
            case "gpu_memcpy":
            case "Memcpy":
                return Category.MEMCPY;
            case "gpu_memset":
            case "Memset":
                return Category.MEMSET;
            case "cuda_runtime":
            case "cuda_driver":
            case "Runtime":
                return Category.CUDA_API;
            case "cpu_op":
            case "Operator":
                return Category.CPU_OP;
            case "python_function":
                return Category.PYTHON;
            case "cuda_sync":
                return Category.SYNC;
            case "request":
                return Category.REQUEST;
            case "phase":
                return Category.PHASE;
            case "data_wait":
                return Category.DATA_WAIT;
            case "data_fetch":
                return Category.DATA_FETCH;
            case "gc":
                return Category.GC;
            case "step":
                return Category.STEP;
            default: // user_annotation, gpu_user_annotation, cuda_profiler_range (never a kernel), unknown
                return Category.USER;
        }
    }

    /** The category of a slice: {@link #ofCat}, except that a host-side {@code ProfilerStep#N} is a step. */
    public static Category of(String cat, String name) {
        if (isProfilerStep(name) && !GPU_USER_ANNOTATION.equals(cat)) {
            return Category.STEP;
        }
        return ofCat(cat);
    }

    /** {@code ^ProfilerStep#\d+$}. */
    public static boolean isProfilerStep(String name) {
        if (name == null || name.length() <= STEP_PREFIX.length() || !name.startsWith(STEP_PREFIX)) {
            return false;
        }
        for (int i = STEP_PREFIX.length(); i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The cat the exporter writes for a slice of {@code category}; the importer keeps a slice's raw
     * cat (as arg {@code "cat"}) only when it differs from this, so that export restores it.
     * @param gpuAnnotation the slice lies on a GPU annotation track
     * @param name the slice name (a step not named {@code ProfilerStep#N} is written as {@code step})
     */
    public static String canonicalCat(Category category, boolean gpuAnnotation, String name) {
        switch (category) {
            case KERNEL:
                return "kernel";
            case MEMCPY:
                return "gpu_memcpy";
            case MEMSET:
                return "gpu_memset";
            case CUDA_API:
                return "cuda_runtime";
            case CPU_OP:
                return "cpu_op";
            case PYTHON:
                return "python_function";
            case USER:
                return gpuAnnotation ? GPU_USER_ANNOTATION : USER_ANNOTATION;
            case SYNC:
                return "cuda_sync";
            case STEP:
                return isProfilerStep(name) ? USER_ANNOTATION : "step";
            default:
                return category.label; // request, phase, data_wait, data_fetch, gc
        }
    }
}
