"""--torch-profiler (THROUGHLINE_TORCH_PROFILER=1): streaming torch.profiler activities.

Not implemented yet: ``start`` raises, and the agent prints one warning and records without it.
"""


def start(agent):
    raise NotImplementedError("--torch-profiler is not implemented in this version of the agent")
