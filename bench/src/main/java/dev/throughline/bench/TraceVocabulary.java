package dev.throughline.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names a synthetic PyTorch/Kineto trace draws from: about 300 CPU op names (forward aten ops,
 * autograd backward nodes, optimizer and data-loader annotations) and about 200 CUDA kernel names
 * built from the patterns real PyTorch/cuBLAS/cuDNN/NCCL builds print. Fixed, so traces are
 * reproducible.
 */
final class TraceVocabulary {
    private TraceVocabulary() {
    }

    /** Forward aten ops (also usable as children of other ops). */
    static final List<String> FORWARD_OPS = List.of(
            "aten::linear", "aten::addmm", "aten::mm", "aten::bmm", "aten::matmul", "aten::baddbmm", "aten::t",
            "aten::transpose", "aten::as_strided", "aten::view", "aten::reshape", "aten::_unsafe_view",
            "aten::empty", "aten::empty_strided", "aten::empty_like", "aten::zeros", "aten::zeros_like",
            "aten::ones_like", "aten::zero_", "aten::fill_", "aten::full", "aten::new_empty", "aten::new_zeros",
            "aten::copy_", "aten::to", "aten::_to_copy", "aten::contiguous", "aten::clone", "aten::add",
            "aten::add_", "aten::mul", "aten::mul_", "aten::div", "aten::div_", "aten::sub", "aten::rsub",
            "aten::neg", "aten::pow", "aten::rsqrt", "aten::sqrt", "aten::exp", "aten::log", "aten::mean",
            "aten::sum", "aten::layer_norm", "aten::native_layer_norm", "aten::group_norm",
            "aten::native_group_norm", "aten::gelu", "aten::silu", "aten::relu", "aten::relu_", "aten::tanh",
            "aten::sigmoid", "aten::dropout", "aten::native_dropout", "aten::_fused_dropout", "aten::softmax",
            "aten::_softmax", "aten::log_softmax", "aten::_log_softmax", "aten::nll_loss", "aten::nll_loss_nd",
            "aten::nll_loss_forward", "aten::cross_entropy_loss", "aten::embedding", "aten::index_select",
            "aten::cat", "aten::stack", "aten::slice", "aten::select", "aten::unsqueeze", "aten::squeeze",
            "aten::expand", "aten::permute", "aten::split", "aten::split_with_sizes", "aten::chunk",
            "aten::narrow", "aten::unbind", "aten::conv2d", "aten::convolution", "aten::_convolution",
            "aten::cudnn_convolution", "aten::batch_norm", "aten::_batch_norm_impl_index",
            "aten::cudnn_batch_norm", "aten::max_pool2d", "aten::max_pool2d_with_indices",
            "aten::adaptive_avg_pool2d", "aten::flatten", "aten::scaled_dot_product_attention",
            "aten::_scaled_dot_product_flash_attention", "aten::_flash_attention_forward",
            "aten::_scaled_dot_product_efficient_attention", "aten::_efficient_attention_forward",
            "aten::arange", "aten::eq", "aten::ne", "aten::lt", "aten::all", "aten::any", "aten::is_nonzero",
            "aten::item", "aten::_local_scalar_dense", "aten::where", "aten::masked_fill", "aten::masked_fill_",
            "aten::cos", "aten::sin", "aten::clamp", "aten::clamp_min", "aten::clamp_min_", "aten::detach",
            "aten::detach_", "aten::resize_", "aten::set_", "aten::result_type", "aten::repeat",
            "aten::repeat_interleave", "aten::topk", "aten::sort", "aten::argmax", "aten::gather",
            "aten::scatter_", "aten::index", "aten::index_put_", "aten::nonzero", "aten::cumsum",
            "aten::triu", "aten::tril", "aten::norm", "aten::linalg_vector_norm", "aten::lerp_",
            "aten::record_stream", "aten::_has_compatible_shallow_copy_type", "aten::alias", "aten::lift_fresh",
            "aten::_pin_memory", "aten::pin_memory", "aten::is_pinned", "aten::randperm", "aten::uniform_",
            "aten::normal_", "aten::bernoulli_", "aten::to_dense", "aten::type_as", "aten::floor_divide",
            "aten::remainder", "aten::bitwise_and", "aten::logical_not", "aten::isnan", "aten::isinf",
            "aten::_amp_foreach_non_finite_check_and_unscale_", "aten::_amp_update_scale_",
            "c10d::allreduce_", "record_param_comms", "nccl:all_reduce", "nccl:_all_gather_base",
            "nccl:_reduce_scatter_base", "c10d::_allgather_base_", "c10d::_reduce_scatter_base_");

    /** The autograd nodes backward ops run under (each appears as "X" and as "evaluate_function: X"). */
    static final List<String> BACKWARD_NODES = List.of(
            "AddmmBackward0", "MmBackward0", "BmmBackward0", "TBackward0", "ViewBackward0", "ReshapeAliasBackward0",
            "UnsafeViewBackward0", "TransposeBackward0", "PermuteBackward0", "CloneBackward0", "AddBackward0",
            "MulBackward0", "DivBackward0", "NegBackward0", "PowBackward0", "RsqrtBackward0", "MeanBackward1",
            "SumBackward1", "NativeLayerNormBackward0", "GeluBackward0", "SiluBackward0", "ReluBackward0",
            "TanhBackward0", "SigmoidBackward0", "NativeDropoutBackward0", "SoftmaxBackward0",
            "LogSoftmaxBackward0", "NllLossBackward0", "EmbeddingBackward0", "CatBackward0", "SliceBackward0",
            "SelectBackward0", "SplitBackward0", "UnsqueezeBackward0", "ExpandBackward0",
            "ScaledDotProductFlashAttentionBackward0", "ScaledDotProductEfficientAttentionBackward0",
            "ConvolutionBackward0", "CudnnBatchNormBackward0", "MaxPool2DWithIndicesBackward0",
            "AdaptiveAvgPool2DBackward0", "ToCopyBackward0", "torch::autograd::AccumulateGrad");

    /** Backward aten kernels that backward nodes call. */
    static final List<String> BACKWARD_OPS = List.of(
            "aten::gelu_backward", "aten::silu_backward", "aten::threshold_backward", "aten::tanh_backward",
            "aten::sigmoid_backward", "aten::native_layer_norm_backward", "aten::_softmax_backward_data",
            "aten::_log_softmax_backward_data", "aten::nll_loss_backward", "aten::embedding_backward",
            "aten::embedding_dense_backward", "aten::native_dropout_backward", "aten::cudnn_convolution_backward",
            "aten::convolution_backward", "aten::cudnn_batch_norm_backward",
            "aten::max_pool2d_with_indices_backward", "aten::_adaptive_avg_pool2d_backward",
            "aten::_flash_attention_backward", "aten::_scaled_dot_product_flash_attention_backward",
            "aten::_efficient_attention_backward", "aten::_scaled_dot_product_efficient_attention_backward",
            "aten::sum_to_size", "aten::new_empty_strided", "aten::slice_backward", "aten::select_backward");

    /** User annotations and Python-side ranges recorded by torch.profiler. */
    static final String DATALOADER = "enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__";
    static final String OPTIMIZER_STEP = "Optimizer.step#AdamW.step";
    static final String OPTIMIZER_ZERO_GRAD = "Optimizer.zero_grad#AdamW.zero_grad";
    static final List<String> ANNOTATIONS = List.of(DATALOADER, OPTIMIZER_STEP, OPTIMIZER_ZERO_GRAD,
            "## forward ##", "## backward ##", "## optimizer ##", "## data ##", "FullyShardedDataParallel.forward",
            "DistributedDataParallel.forward", "autocast", "torch.compile.wrapped");

    /** Optimizer ops (foreach/fused). */
    static final List<String> OPTIMIZER_OPS = List.of("aten::_foreach_add_", "aten::_foreach_mul_",
            "aten::_foreach_addcmul_", "aten::_foreach_addcdiv_", "aten::_foreach_sqrt", "aten::_foreach_div_",
            "aten::_foreach_lerp_", "aten::_foreach_norm", "aten::_foreach_zero_", "aten::_fused_adamw_",
            "aten::_foreach_add", "aten::_foreach_maximum_");

    /** CUDA runtime calls and the Kineto cbid each is recorded with. */
    static final String[] RUNTIME = {"cudaLaunchKernel", "cudaMemcpyAsync", "cudaMemsetAsync",
        "cudaStreamSynchronize", "cudaDeviceSynchronize", "cudaEventRecord", "cudaStreamWaitEvent",
        "cudaFuncGetAttributes", "cudaStreamIsCapturing", "cudaGetDevice", "cudaPeekAtLastError",
        "cudaLaunchKernelExC", "cuLaunchKernel"};
    static final int[] RUNTIME_CBID = {211, 41, 51, 131, 165, 135, 147, 53, 317, 10, 4, 430, 307};
    static final int LAUNCH = 0;
    static final int MEMCPY = 1;
    static final int MEMSET = 2;
    static final int STREAM_SYNC = 3;

    /** All op names (forward, backward node names in both spellings, backward ops, optimizer). */
    static List<String> opNames() {
        Set<String> all = new LinkedHashSet<>(FORWARD_OPS);
        for (String n : BACKWARD_NODES) {
            all.add(n);
            all.add("autograd::engine::evaluate_function: " + n);
        }
        all.addAll(BACKWARD_OPS);
        all.addAll(OPTIMIZER_OPS);
        all.addAll(ANNOTATIONS);
        return new ArrayList<>(all);
    }

    /** About 200 kernel names in the shapes PyTorch 2.x, cuBLAS, cuDNN, flash-attention and NCCL print. */
    static List<String> kernelNames() {
        Set<String> k = new LinkedHashSet<>();
        String[] unary = {"AddFunctor<float>", "CUDAFunctor_add<c10::BFloat16>", "CUDAFunctorOnSelf_add<float>",
            "MulFunctor<float>", "BinaryFunctor<c10::BFloat16, c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> >",
            "BinaryFunctor<float, float, float, at::native::binary_internal::DivFunctor<float> >",
            "BUnaryFunctor<float, float, float, at::native::binary_internal::MulFunctor<float> >",
            "AUnaryFunctor<long, long, bool, at::native::(anonymous namespace)::CompareEqFunctor<long> >",
            "(anonymous namespace)::silu_kernel(at::TensorIteratorBase&)::{lambda()#1}::operator()() const::{lambda()#8}::operator()() const::{lambda(c10::BFloat16)#1}",
            "GeluCUDAKernelImpl(at::TensorIteratorBase&, at::native::GeluType)::{lambda()#2}::operator()() const::{lambda()#4}::operator()() const::{lambda(c10::BFloat16)#1}",
            "rsqrt_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#8}::operator()() const::{lambda(float)#1}",
            "bfloat16_copy_kernel_cuda(at::TensorIteratorBase&)::{lambda(float)#1}",
            "(anonymous namespace)::pow_tensor_scalar_kernel_impl<float, float>(at::TensorIteratorBase&, float)::{lambda(float)#2}",
            "(anonymous namespace)::clamp_min_scalar_kernel_impl(at::TensorIteratorBase&, c10::Scalar)::{lambda()#1}::operator()() const::{lambda()#7}::operator()() const::{lambda(float)#1}",
            "sigmoid_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#3}::operator()() const::{lambda(float)#1}",
            "tanh_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(float)#1}",
            "exp_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(float)#1}",
            "neg_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(c10::BFloat16)#1}",
            "FillFunctor<float>", "FillFunctor<c10::BFloat16>", "FillFunctor<long>",
            "cos_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(float)#1}",
            "sin_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(float)#1}",
            "sqrt_kernel_cuda(at::TensorIteratorBase&)::{lambda()#2}::operator()() const::{lambda()#6}::operator()() const::{lambda(float)#1}",
            "where_kernel_impl(at::TensorIterator&)::{lambda()#1}::operator()() const::{lambda()#10}::operator()() const::{lambda(bool, float, float)#1}",
            "GeluBackwardCUDAKernelImpl(at::TensorIteratorBase&, at::native::GeluType)::{lambda()#2}::operator()() const::{lambda()#4}::operator()() const::{lambda(c10::BFloat16, c10::BFloat16)#1}",
            "silu_backward_kernel(at::TensorIteratorBase&)::{lambda()#1}::operator()() const::{lambda()#8}::operator()() const::{lambda(c10::BFloat16, c10::BFloat16)#1}",
            "threshold_kernel_impl<float>(at::TensorIteratorBase&, float, float)::{lambda(float, float)#1}"};
        for (String f : unary) {
            k.add("void at::native::vectorized_elementwise_kernel<4, at::native::" + f + ", at::detail::Array<char*, 2> >(int, at::native::"
                    + f + ", at::detail::Array<char*, 2>)");
        }
        for (int i = 0; i < 16; i++) {
            String f = unary[i];
            k.add("void at::native::elementwise_kernel<128, " + (i % 2 == 0 ? 4 : 2)
                    + ", at::native::gpu_kernel_impl_nocast<at::native::" + f + " >(at::TensorIteratorBase&, at::native::"
                    + f + " const&)::{lambda(int)#1}>(int, at::native::gpu_kernel_impl_nocast<at::native::" + f
                    + " >(at::TensorIteratorBase&, at::native::" + f + " const&)::{lambda(int)#1})");
            k.add("void at::native::unrolled_elementwise_kernel<at::native::" + f
                    + ", at::detail::Array<char*, 3>, TrivialOffsetCalculator<2, unsigned int>, TrivialOffsetCalculator<1, unsigned int>,"
                    + " at::native::memory::LoadWithCast<2>, at::native::memory::StoreWithCast<1> >(int, at::native::" + f
                    + ", at::detail::Array<char*, 3>, TrivialOffsetCalculator<2, unsigned int>, TrivialOffsetCalculator<1, unsigned int>,"
                    + " at::native::memory::LoadWithCast<2>, at::native::memory::StoreWithCast<1>)");
        }
        String[] reduceOps = {"MeanOps<float, float, float, float>", "func_wrapper_t<float, at::native::sum_functor<float, float, float>::operator()(at::TensorIterator&)::{lambda(float, float)#1}>",
            "MaxOps<float>", "NormTwoOps<float, float, float>", "ArgMaxOps<float>", "func_wrapper_t<c10::BFloat16, at::native::sum_functor<c10::BFloat16, float, c10::BFloat16>::operator()(at::TensorIterator&)::{lambda(float, float)#1}>"};
        for (String op : reduceOps) {
            for (int threads : new int[] {512, 256}) {
                k.add("void at::native::reduce_kernel<" + threads + ", 1, at::native::ReduceOp<float, at::native::" + op
                        + ", unsigned int, float, 4> >(at::native::ReduceOp<float, at::native::" + op + ", unsigned int, float, 4>)");
            }
        }
        for (String layout : new String[] {"tn", "nt", "nn"}) {
            for (String tile : new String[] {"128x128x64", "128x256x64", "256x128x64"}) {
                for (String wg : new String[] {"1x1x1", "2x1x1"}) {
                    k.add("sm90_xmma_gemm_bf16bf16_bf16f32_f32_" + layout + "_n_tilesize" + tile + "_warpgroupsize" + wg
                            + "_execute_segment_k_off_kernel__5x_cublas");
                }
            }
            for (String tile : new String[] {"128x128", "256x128", "64x64"}) {
                for (String stages : new String[] {"32x5", "64x3"}) {
                    k.add("ampere_bf16_s16816gemm_bf16_" + tile + "_ldg8_f2f_stages_" + stages + "_" + layout);
                }
            }
            for (String tile : new String[] {"32x128", "64x64", "128x64"}) {
                k.add("volta_sgemm_" + tile + "_" + layout);
            }
        }
        for (String t : new String[] {"s1688gemm_64x64_16x6_nn_align4", "s1688gemm_128x128_32x3_nn_align4",
            "s1688gemm_256x64_32x4_tn_align4", "h16816gemm_relu_128x128_32x5_nt_align8", "s16816gemm_bf16_64x64_64x3_tn_align8",
            "h1688gemm_256x128_32x3_nn_align8"}) {
            k.add("void cutlass::Kernel<cutlass_80_tensorop_" + t + ">(cutlass_80_tensorop_" + t + "::Params)");
        }
        for (int hd : new int[] {64, 128}) {
            for (int kb : new int[] {64, 128}) {
                k.add("void pytorch_flash::flash_fwd_kernel<pytorch_flash::Flash_fwd_kernel_traits<" + hd + ", 128, " + kb
                        + ", 4, false, false, cutlass::bfloat16_t, pytorch_flash::Flash_kernel_traits<" + hd + ", 128, " + kb
                        + ", 4, cutlass::bfloat16_t> >, false, true, false, false, true, true, false, false>(pytorch_flash::Flash_fwd_params)");
                k.add("void pytorch_flash::flash_bwd_dq_dk_dv_loop_seqk_parallel_kernel<pytorch_flash::Flash_bwd_kernel_traits<" + hd
                        + ", 64, " + kb + ", 8, 2, 4, 2, false, false, cutlass::bfloat16_t, pytorch_flash::Flash_kernel_traits<" + hd
                        + ", 64, " + kb + ", 8, cutlass::bfloat16_t> >, false, true, false, false, true, true, false>(pytorch_flash::Flash_bwd_params)");
            }
        }
        k.add("void pytorch_flash::flash_bwd_dot_do_o_kernel<true, pytorch_flash::Flash_bwd_kernel_traits<64, 64, 128, 8, 2, 4, 2, false, false, cutlass::bfloat16_t, pytorch_flash::Flash_kernel_traits<64, 64, 128, 8, cutlass::bfloat16_t> > >(pytorch_flash::Flash_bwd_params)");
        k.add("void pytorch_flash::flash_bwd_convert_dq_kernel<pytorch_flash::Flash_bwd_kernel_traits<64, 64, 128, 8, 2, 4, 2, false, false, cutlass::bfloat16_t, pytorch_flash::Flash_kernel_traits<64, 64, 128, 8, cutlass::bfloat16_t> > >(pytorch_flash::Flash_bwd_params, int)");
        for (String t : new String[] {"c10::BFloat16, float", "float, float", "c10::Half, float"}) {
            k.add("void at::native::(anonymous namespace)::vectorized_layer_norm_kernel<" + t + ">(int, float, "
                    + t.split(", ")[0] + " const*, " + t.split(", ")[0] + " const*, " + t.split(", ")[0] + " const*, float*, float*, "
                    + t.split(", ")[0] + "*)");
            k.add("void at::native::(anonymous namespace)::layer_norm_grad_input_kernel_vectorized<" + t + ">("
                    + t.split(", ")[0] + " const*, " + t.split(", ")[0] + " const*, float const*, float const*, " + t.split(", ")[0]
                    + " const*, " + t.split(", ")[0] + "*, int)");
            k.add("void at::native::(anonymous namespace)::GammaBetaBackwardCUDAKernel_32x32<" + t + ">(long, long, "
                    + t.split(", ")[0] + " const*, " + t.split(", ")[0] + " const*, float const*, float const*, " + t.split(", ")[0]
                    + "*, " + t.split(", ")[0] + "*)");
        }
        for (int log2 = 5; log2 <= 11; log2++) {
            k.add("void (anonymous namespace)::softmax_warp_forward<c10::BFloat16, c10::BFloat16, float, " + log2
                    + ", false, false>(c10::BFloat16*, c10::BFloat16 const*, int, int, int, bool const*, int, bool)");
            k.add("void (anonymous namespace)::softmax_warp_backward<c10::BFloat16, c10::BFloat16, float, " + log2
                    + ", false, false>(c10::BFloat16*, c10::BFloat16 const*, c10::BFloat16 const*, int, int, int, bool const*)");
        }
        for (String conv : new String[] {"volta_scudnn_128x64_relu_medium_nn_v1", "volta_scudnn_128x64_relu_interior_nn_v1",
            "volta_scudnn_128x64_relu_small_nn_v1", "volta_scudnn_winograd_128x128_ldg1_ldg4_relu_tile148t_nt_v1",
            "sm80_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nhwc_tilesize128x128x32_stage4_warpsize2x2x1_g1_tensor16x8x16_kernel",
            "sm80_xmma_dgrad_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nhwc_tilesize64x128x64_stage4_warpsize2x2x1_g1_tensor16x8x16_kernel",
            "sm80_xmma_wgrad_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nhwc_tilesize128x128x32_stage4_warpsize2x2x1_g1_tensor16x8x16_kernel",
            "cask_cudnn::computeOffsetsKernel(cask_cudnn::ComputeOffsetsParams)",
            "void cudnn::winograd::generateWinogradTilesKernel<0, float, float>(cudnn::winograd::GenerateWinogradTilesParams<float, float>)",
            "void cudnn::bn_fw_tr_1C11_kernel_NCHW<float, float, 512, true, 1>(cudnnTensorStruct, float const*, cudnnTensorStruct, float*, float const*, float const*, float, float, float*, float*, float*, float*, float, float)",
            "void cudnn::bn_bw_1C11_kernel_new<float, float, float2, 512, true, 1>(float, float, float, float, cudnnTensorStruct, float const*, cudnnTensorStruct, float const*, cudnnTensorStruct, float*, float const*, float*, float*, float const*, float const*, float)",
            "void implicit_convolve_sgemm<float, float, 1024, 6, 7, 3, 3, 5, 1, false, true, true>(int, int, int, float const*, int, float*, float const*, kernel_conv_params, unsigned long long, int, float, float, int, float const*, float const*, bool, int, int)",
            "void cudnn::winograd_nonfused::winogradForwardData4x4<float, float>(cudnn::winograd_nonfused::WinogradDataParams<float, float>)",
            "void cudnn::winograd_nonfused::winogradForwardFilter4x4<float, float>(cudnn::winograd_nonfused::WinogradFilterParams<float, float>)",
            "void cudnn::winograd_nonfused::winogradForwardOutput4x4<float, float>(cudnn::winograd_nonfused::WinogradOutputParams<float, float>)",
            "void at::native::(anonymous namespace)::max_pool_forward_nchw<float, float>(int, float const*, int, int, int, int, int, int, int, int, int, int, int, int, int, int, float*, long*)",
            "void at::native::(anonymous namespace)::max_pool_backward_nchw<float, float>(float const*, long const*, int, long, long, long, long, long, long, int, int, int, int, int, int, int, int, float*)"}) {
            k.add(conv);
        }
        for (String coll : new String[] {"AllReduce_Sum_bf16_RING_LL", "AllReduce_Sum_f32_RING_LL", "AllReduce_Sum_bf16_TREE_LL",
            "AllGather_RING_LL", "ReduceScatter_Sum_bf16_RING_LL", "ReduceScatter_Sum_f32_RING_LL128", "Broadcast_RING_LL"}) {
            k.add("ncclDevKernel_" + coll + "(ncclDevComm*, unsigned long, ncclWork*)");
        }
        String[] mtaFunctors = {"FusedAdamMathFunctor<float, 4, (at::native::ADAM_MODE)1, false>",
            "BinaryOpListAlphaFunctor<float, 3, 3, 0>", "PointwiseOpScalarFunctor<float, 4, 4, 3>",
            "BinaryOpScalarFunctor<float, 2, 1, 1>", "UnaryOpFunctor<float, 2, 1, 1>", "LpNormFunctor<float, (at::native::NormType)1, float, 1, 1, 0>",
            "TernaryOpScalarFunctor<float, 3, 2, 2>", "ZeroFunctor<float, 1, 1, 0>"};
        for (String f : mtaFunctors) {
            for (int lists : new int[] {1, 3}) {
                k.add("void at::native::(anonymous namespace)::multi_tensor_apply_kernel<at::native::(anonymous namespace)::TensorListMetadata<"
                        + lists + ">, at::native::(anonymous namespace)::" + f + ", std::plus<float>, float>(at::native::(anonymous namespace)::TensorListMetadata<"
                        + lists + ">, at::native::(anonymous namespace)::" + f + ", std::plus<float>, float)");
            }
        }
        for (String t : new String[] {"c10::BFloat16", "float"}) {
            k.add("void at::native::(anonymous namespace)::indexSelectLargeIndex<" + t + ", long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<"
                    + t + ", unsigned int>, at::cuda::detail::TensorInfo<" + t + " const, unsigned int>, at::cuda::detail::TensorInfo<long const, unsigned int>, int, int, unsigned int, unsigned int, long)");
            k.add("void at::native::(anonymous namespace)::embedding_backward_feature_kernel<" + t + ", float, long>(long const*, "
                    + t + " const*, " + t + "*, int, long, int, int)");
            k.add("void at::native::(anonymous namespace)::CatArrayBatchedCopy<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 3, 64, 64>(at::native::(anonymous namespace)::OpaqueType<2u>*, at::native::(anonymous namespace)::CatArrInputTensorMetadata<at::native::(anonymous namespace)::OpaqueType<2u>, unsigned int, 64, 64>, at::native::(anonymous namespace)::TensorSizeStride<unsigned int, 4u>, int, unsigned int)".replace("2u", t.equals("float") ? "4u" : "2u"));
            k.add("void at::native::(anonymous namespace)::fused_dropout_kernel_vec<" + t + ", float, unsigned int, 1, 4, bool>(at::cuda::detail::TensorInfo<"
                    + t + " const, unsigned int>, at::cuda::detail::TensorInfo<" + t + ", unsigned int>, at::cuda::detail::TensorInfo<bool, unsigned int>, unsigned int, float, at::PhiloxCudaState)");
            k.add("void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, " + t + ", float, " + t
                    + ", at::native::(anonymous namespace)::LogSoftMaxForwardEpilogue>(" + t + "*, " + t + " const*, int)");
            k.add("void at::native::(anonymous namespace)::cunn_SoftMaxBackward<4, " + t + ", float, " + t
                    + ", at::native::(anonymous namespace)::LogSoftMaxBackwardEpilogue>(" + t + "*, " + t + " const*, " + t + " const*, long)");
            k.add("void at::native::(anonymous namespace)::nll_loss_forward_reduce_cuda_kernel_2d<" + t + ", float, long>(" + t + "*, "
                    + t + "*, " + t + " const*, long const*, " + t + " const*, bool, long, long, long, long)");
            k.add("void at::native::(anonymous namespace)::nll_loss_backward_reduce_cuda_kernel_2d<" + t + ", long>(" + t + "*, "
                    + t + " const*, long const*, " + t + " const*, " + t + " const*, bool, int, int, long, long)");
        }
        k.add("void at::native::(anonymous namespace)::elementwise_kernel_with_index<int, at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}>(int, at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}, function_traits<at::native::arange_cuda_out(c10::Scalar const&, c10::Scalar const&, c10::Scalar const&, at::Tensor&)::{lambda()#1}::operator()() const::{lambda()#4}::operator()() const::{lambda(long)#1}>::result_type*)");
        k.add("void at::native::_scatter_gather_elementwise_kernel<128, 4, at::native::_cuda_scatter_gather_internal_kernel<true, float>::operator()<at::native::ReduceAdd>(at::TensorIterator&, long, long, long, at::native::ReduceAdd const&)::{lambda(int)#1}>(int, at::native::_cuda_scatter_gather_internal_kernel<true, float>::operator()<at::native::ReduceAdd>(at::TensorIterator&, long, long, long, at::native::ReduceAdd const&)::{lambda(int)#1})");
        k.add("void at::native::index_elementwise_kernel<128, 4, at::native::gpu_index_kernel<at::native::index_kernel_impl<at::native::OpaqueType<4> >(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>)::{lambda(char*, char const*, long)#1}>(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>, at::native::index_kernel_impl<at::native::OpaqueType<4> >(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>)::{lambda(char*, char const*, long)#1} const&)::{lambda(int)#1}>(long, at::native::gpu_index_kernel<at::native::index_kernel_impl<at::native::OpaqueType<4> >(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>)::{lambda(char*, char const*, long)#1}>(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>, at::native::index_kernel_impl<at::native::OpaqueType<4> >(at::TensorIteratorBase&, c10::ArrayRef<long>, c10::ArrayRef<long>)::{lambda(char*, char const*, long)#1} const&)::{lambda(int)#1})");
        k.add("void at::native::(anonymous namespace)::adaptive_average_pool<float>(float const*, float*, int, int, int, int, long, long, long)");
        k.add("void at::native::(anonymous namespace)::atomic_adaptive_average_gradinput<float>(float*, float const*, int, int, int, int)");
        k.add("void at::native::(anonymous namespace)::compute_grad_weight<c10::BFloat16, long>(long const*, c10::BFloat16 const*, long const*, long, long, long, long, at::GenericPackedTensorAccessor<float, 2, at::DefaultPtrTraits, int>)");
        k.add("void at::native::(anonymous namespace)::sum_and_scatter<c10::BFloat16, long>(long const*, c10::BFloat16*, long, long const*, float const*, long const*, long const*, long, long)");
        k.add("void at::native::triu_tril_kernel<float, int, false, 4, true>(at::cuda::detail::TensorInfo<float, int>, at::cuda::detail::TensorInfo<float const, int>, long, long, long, int)");
        k.add("void cublasLt::splitKreduce_kernel<32, 16, int, __nv_bfloat16, __nv_bfloat16, float, __nv_bfloat16, false, false, false, true, false>(cublasLt::cublasSplitKParams<float>, __nv_bfloat16 const*, float const*, __nv_bfloat16*, __nv_bfloat16 const*, float const*, float const*, __nv_bfloat16*, void*, long, float*, int*)");
        k.add("void gemmk1_kernel<int, float, 256, 5, false, false, false, false, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float>, float, 0>(cublasGemmk1Params<float, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float>, float, biasType<cublasGemvTensorStridedBatched<float>::value_type, float>::type>)");
        k.add("void gemv2T_kernel_val<int, int, float, float, float, float, 128, 16, 4, 4, false, false, cublasGemvParamsEx<int, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float>, float> >(cublasGemvParamsEx<int, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float const>, cublasGemvTensorStridedBatched<float>, float>, float, float)");
        k.add("void at::native::(anonymous namespace)::fill_reverse_indices_kernel<long>(long*, int, at::cuda::detail::IntDivider<unsigned int>)");
        k.add("void at::native::(anonymous namespace)::krn_partials_per_segment<long>(long*, long const*, long, long)");
        k.add("void at::native::(anonymous namespace)::krn_partial_segment_offset<long>(long*, long const*, long const*, long const*, long)");
        k.add("void at_cuda_detail::cub::DeviceRadixSortSingleTileKernel<at_cuda_detail::cub::DeviceRadixSortPolicy<long, long, int>::Policy800, false, long, long, int>(long const*, long*, long const*, long*, int, int, int)");
        k.add("void at::native::amp_update_scale_cuda_kernel<float>(float*, int*, float const*, double, double, int)");
        k.add("void at::native::(anonymous namespace)::lerp_kernel_scalar_weight(at::TensorIteratorBase&, c10::Scalar const&)");
        return new ArrayList<>(k);
    }
}
