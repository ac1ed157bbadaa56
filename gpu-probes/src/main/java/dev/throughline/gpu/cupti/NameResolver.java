package dev.throughline.gpu.cupti;

/**
 * Turns the {@code const char*} a kernel record holds into its name. The tracer reads native memory
 * (JavaCPP); tests use a map. Returns null when the address cannot be read.
 */
public interface NameResolver {
    String name(long address);
}
