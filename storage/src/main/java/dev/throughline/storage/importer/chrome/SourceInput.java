package dev.throughline.storage.importer.chrome;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The bytes of a trace file: plain, or gzip when it starts with the gzip magic (1f 8b), whatever its
 * name. Counts the file bytes read (for progress) and turns a decompression failure into a
 * {@link BadGzipException} that says where in the compressed file it happened.
 */
final class SourceInput implements AutoCloseable {
    private static final int FILE_BUFFER = 1 << 20;

    /** Corrupt or truncated gzip data; {@link #compressedOffset} is where in the file it was noticed. */
    static final class BadGzipException extends IOException {
        private static final long serialVersionUID = 1L;
        final long compressedOffset;
        final boolean truncated;

        BadGzipException(String reason, long compressedOffset, boolean truncated, Throwable cause) {
            super(reason, cause);
            this.compressedOffset = compressedOffset;
            this.truncated = truncated;
        }
    }

    private final Counting counting;
    private final InputStream json;
    private final boolean gzip;
    private final long size;

    private SourceInput(Counting counting, InputStream json, boolean gzip, long size) {
        this.counting = counting;
        this.json = json;
        this.gzip = gzip;
        this.size = size;
    }

    static SourceInput open(Path file) throws IOException {
        long size = Files.size(file);
        BufferedInputStream buffered = new BufferedInputStream(Files.newInputStream(file), FILE_BUFFER);
        try {
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            Counting counting = new Counting(buffered);
            if (!gzip) {
                return new SourceInput(counting, counting, false, size);
            }
            Gunzip gunzip;
            try {
                gunzip = new Gunzip(counting);
            } catch (EOFException e) {
                throw new BadGzipException("the gzip header is cut short", counting.count, true, e);
            } catch (ZipException e) {
                throw new BadGzipException("bad gzip header (" + e.getMessage() + ")", counting.count, false, e);
            }
            return new SourceInput(counting, gunzip, true, size);
        } catch (IOException | RuntimeException e) {
            buffered.close();
            throw e;
        }
    }

    /** The JSON bytes (decompressed when the file is gzip). */
    InputStream json() {
        return json;
    }

    boolean gzip() {
        return gzip;
    }

    /** Bytes of the file read so far. */
    long fileBytesRead() {
        return counting.count;
    }

    long fileSize() {
        return size;
    }

    @Override
    public void close() throws IOException {
        json.close();
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static final class Gunzip extends GZIPInputStream {
        private final Counting source;

        Gunzip(Counting source) throws IOException {
            super(source, 1 << 16);
            this.source = source;
        }

        /** Where in the compressed file the inflater is: bytes handed to it minus those it has not used. */
        private long position() {
            return source.count - inf.getRemaining();
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            try {
                return super.read(buf, off, len);
            } catch (EOFException e) {
                throw new BadGzipException("the gzip data ends early (truncated file)", position(), true, e);
            } catch (ZipException e) {
                throw new BadGzipException(e.getMessage(), position(), false, e);
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }
    }
}
