"""Throughline bootstrap: ``throughline record`` puts this directory first on PYTHONPATH.

It starts the Python agent when THROUGHLINE_ADDR is set, then runs the ``sitecustomize`` it
shadows (Debian ships /usr/lib/python3.X/sitecustomize.py), so the interpreter behaves as it would
without us. It never raises: a failure prints one line and the program runs unprofiled.
"""


def _throughline_bootstrap():
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))

    try:
        root = os.environ.get("THROUGHLINE_AGENT_PATH") or os.path.dirname(here)
        if os.path.isdir(os.path.join(root, "throughline_agent")) and root not in sys.path:
            # appended: the user's own modules keep precedence; `import throughline_agent` works
            sys.path.append(root)
    except Exception:
        pass

    if os.environ.get("THROUGHLINE_ADDR"):
        try:
            import throughline_agent
            throughline_agent.start()
        except Exception as e:  # never stop the user's program
            try:
                sys.stderr.write("throughline: agent not started (%s: %s); running unprofiled\n"
                                 % (type(e).__name__, e))
            except Exception:
                pass

    # chain to the sitecustomize we shadow: the next one on sys.path after our directory
    try:
        import importlib.machinery
        import importlib.util

        me = os.path.realpath(__file__)
        seen_self = False
        entries = list(sys.path)
        if not any(os.path.realpath(e or os.getcwd()) == os.path.realpath(here) for e in entries):
            seen_self = True  # not found literally: consider every entry
        for entry in entries:
            path = os.path.realpath(entry or os.getcwd())
            if not seen_self:
                seen_self = path == os.path.realpath(here)
                continue
            if path == os.path.realpath(here):
                continue
            spec = importlib.machinery.PathFinder.find_spec("sitecustomize", [entry])
            if spec is None or spec.loader is None or not spec.origin:
                continue
            if os.path.realpath(spec.origin) == me:
                continue
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            break
    except Exception as e:
        try:
            sys.stderr.write("throughline: the shadowed sitecustomize failed (%s: %s)\n"
                             % (type(e).__name__, e))
        except Exception:
            pass


_throughline_bootstrap()
del _throughline_bootstrap
