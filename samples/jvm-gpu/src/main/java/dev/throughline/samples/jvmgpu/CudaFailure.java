package dev.throughline.samples.jvmgpu;

import org.bytedeco.cuda.global.cudart;

/** A CUDA or cuBLAS call that did not return success, with its name and the library's words for it. */
final class CudaFailure extends RuntimeException {
    CudaFailure(String message) {
        super(message);
    }

    static void cuda(String call, int rc) {
        if (rc != cudart.cudaSuccess) {
            throw new CudaFailure(call + ": " + cudart.cudaGetErrorString(rc).getString() + " (" + rc + ")");
        }
    }

    static void cublas(String call, int rc) {
        if (rc != 0) { // CUBLAS_STATUS_SUCCESS
            throw new CudaFailure(call + ": cuBLAS status " + rc);
        }
    }
}
