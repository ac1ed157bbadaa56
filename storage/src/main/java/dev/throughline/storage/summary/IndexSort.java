package dev.throughline.storage.summary;

/** Stable ordering of parallel primitive arrays by a long key, without boxing (bottom-up merge sort). */
final class IndexSort {
    private IndexSort() {
    }

    /**
     * The indices {@code 0..n-1} ordered by {@code primary} ascending, then (when {@code secondaryDesc}
     * is not null) by {@code secondaryDesc} descending, then by index: a stable sort.
     */
    static int[] order(long[] primary, long[] secondaryDesc, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        if (n < 2) {
            return a;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    // take from the right run only when strictly smaller: keeps equal keys in input order
                    if (less(primary, secondaryDesc, a[j], a[i])) {
                        b[k++] = a[j++];
                    } else {
                        b[k++] = a[i++];
                    }
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    private static boolean less(long[] primary, long[] secondaryDesc, int x, int y) {
        if (primary[x] != primary[y]) {
            return primary[x] < primary[y];
        }
        return secondaryDesc != null && secondaryDesc[x] > secondaryDesc[y];
    }
}
