package dev.throughline.gpu.cupti;

import org.bytedeco.javacpp.BytePointer;

/**
 * A JavaCPP BytePointer at a raw address CUPTI gave us (a kernel's name, a buffer). JavaCPP has no
 * public constructor from a long; its protected field is settable from a subclass. Limit 0 makes
 * getString() read up to the NUL.
 */
final class AddressPointer extends BytePointer {
    AddressPointer(long at) {
        this.address = at;
    }
}
