package dev.throughline.gpu.cupti;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the NUL-terminated names kernel records point to (CUPTI owns that memory and shares one
 * string across every launch of a kernel), caching by address: one strlen per kernel, not per launch.
 * Only for the decoding thread.
 */
public final class NativeNames implements NameResolver {
    private static final int MAX_CACHED = 65536;

    private final Map<Long, String> cache = new HashMap<>();

    @Override
    public String name(long address) {
        if (address == 0) {
            return null;
        }
        String name = cache.get(address);
        if (name == null) {
            name = new AddressPointer(address).getString();
            if (cache.size() >= MAX_CACHED) {
                cache.clear(); // a program that JITs kernels without end: bound the memory, not the speed
            }
            cache.put(address, name);
        }
        return name;
    }
}
