package dev.throughline.samples.jvmgpu;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.FloatPointer;

import static dev.throughline.samples.jvmgpu.CudaFailure.cublas;
import static dev.throughline.samples.jvmgpu.CudaFailure.cuda;

/**
 * The GPU work: C = A·B (n×n, FP32) with cuBLAS on one stream. Each timed iteration copies A and B up
 * from pinned memory, copies A once more from pageable memory (on purpose: the slow, staged path a
 * profiler should point at), runs one SGEMM between two CUDA events (the sample's own measure of its
 * kernel time, to compare with CUPTI's), and copies C back to pinned memory.
 */
final class SgemmWorkload implements AutoCloseable {
    private final int n;
    private final long bytes;
    private final cublasContext handle = new cublasContext();
    private final CUstream_st stream = new CUstream_st();
    private final CUevent_st before = new CUevent_st();
    private final CUevent_st after = new CUevent_st();
    private final FloatPointer dA = new FloatPointer();
    private final FloatPointer dB = new FloatPointer();
    private final FloatPointer dC = new FloatPointer();
    private final FloatPointer hA = new FloatPointer();
    private final FloatPointer hB = new FloatPointer();
    private final FloatPointer hC = new FloatPointer();
    /** Pageable: plain malloc through JavaCPP, not registered with CUDA. */
    private final FloatPointer pageableA;
    private final FloatPointer alpha = new FloatPointer(1f);
    private final FloatPointer beta = new FloatPointer(0f);

    SgemmWorkload(int n) {
        this.n = n;
        this.bytes = (long) n * n * Float.BYTES;
        cuda("cudaStreamCreate", cudart.cudaStreamCreate(stream));
        cuda("cudaEventCreate", cudart.cudaEventCreate(before));
        cuda("cudaEventCreate", cudart.cudaEventCreate(after));
        cuda("cudaMalloc A", cudart.cudaMalloc(dA, bytes));
        cuda("cudaMalloc B", cudart.cudaMalloc(dB, bytes));
        cuda("cudaMalloc C", cudart.cudaMalloc(dC, bytes));
        cuda("cudaMallocHost A", cudart.cudaMallocHost(hA, bytes));
        cuda("cudaMallocHost B", cudart.cudaMallocHost(hB, bytes));
        cuda("cudaMallocHost C", cudart.cudaMallocHost(hC, bytes));
        long count = (long) n * n;
        hA.capacity(count).limit(count);
        hB.capacity(count).limit(count);
        hC.capacity(count).limit(count);
        pageableA = new FloatPointer(count);
        fill(hA, 1f);
        fill(hB, 0.5f);
        fill(pageableA, 1f);
        cublas("cublasCreate", cublas.cublasCreate_v2(handle));
        cublas("cublasSetStream", cublas.cublasSetStream_v2(handle, stream));
    }

    private static void fill(FloatPointer p, float v) {
        float[] row = new float[4096];
        java.util.Arrays.fill(row, v);
        for (long at = 0; at < p.capacity(); at += row.length) {
            p.position(at).put(row, 0, (int) Math.min(row.length, p.capacity() - at));
        }
        p.position(0);
    }

    /** One iteration; returns the SGEMM's time between its two events, in milliseconds. */
    float iteration() {
        cuda("cudaMemcpyAsync HtoD A (pinned)",
                cudart.cudaMemcpyAsync(dA, hA, bytes, cudart.cudaMemcpyHostToDevice, stream));
        cuda("cudaMemcpyAsync HtoD B (pinned)",
                cudart.cudaMemcpyAsync(dB, hB, bytes, cudart.cudaMemcpyHostToDevice, stream));
        cuda("cudaMemcpyAsync HtoD A (pageable)",
                cudart.cudaMemcpyAsync(dA, pageableA, bytes, cudart.cudaMemcpyHostToDevice, stream));
        cuda("cudaEventRecord", cudart.cudaEventRecord(before, stream));
        sgemm();
        cuda("cudaEventRecord", cudart.cudaEventRecord(after, stream));
        cuda("cudaMemcpyAsync DtoH C (pinned)",
                cudart.cudaMemcpyAsync(hC, dC, bytes, cudart.cudaMemcpyDeviceToHost, stream));
        cuda("cudaStreamSynchronize", cudart.cudaStreamSynchronize(stream));
        float[] ms = new float[1];
        cuda("cudaEventElapsedTime", cudart.cudaEventElapsedTime(ms, before, after));
        return ms[0];
    }

    void sgemm() {
        cublas("cublasSgemm", cublas.cublasSgemm_v2(handle, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N, n, n, n,
                alpha, dA, n, dB, n, beta, dC, n));
    }

    void synchronize() {
        cuda("cudaStreamSynchronize", cudart.cudaStreamSynchronize(stream));
    }

    /** A = 1, B = 0.5: every element of C is n / 2. */
    String check() {
        float expected = n * 0.5f;
        float first = hC.get(0);
        float last = hC.get((long) n * n - 1);
        return first == expected && last == expected ? "ok" : "WRONG: C[0]=" + first + " C[last]=" + last
                + ", expected " + expected;
    }

    @Override
    public void close() {
        cublas.cublasDestroy_v2(handle);
        cudart.cudaFree(dA);
        cudart.cudaFree(dB);
        cudart.cudaFree(dC);
        cudart.cudaFreeHost(hA);
        cudart.cudaFreeHost(hB);
        cudart.cudaFreeHost(hC);
        pageableA.close();
        cudart.cudaEventDestroy(before);
        cudart.cudaEventDestroy(after);
        cudart.cudaStreamDestroy(stream);
    }
}
