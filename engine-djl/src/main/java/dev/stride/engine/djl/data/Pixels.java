package dev.stride.engine.djl.data;

/**
 * A decoded image: {@code height x width} pixels of {@code channels} interleaved bytes each (1
 * grey, 2 grey and alpha, 3 RGB, 4 RGBA), row by row.
 */
record Pixels(int width, int height, int channels, byte[] data) {
    /** Converts to 1 (grey) or 3 (RGB) channels: alpha is dropped, grey is repeated, RGB becomes luma (ITU-R 601-2, as PIL's "L"). */
    Pixels toChannels(int target) {
        int n = width * height;
        int colour = channels >= 3 ? 3 : 1;
        if (channels == target) {
            return this;
        }
        byte[] out = new byte[n * target];
        for (int i = 0; i < n; i++) {
            int p = i * channels;
            if (colour == 1) {
                byte v = data[p];
                for (int c = 0; c < target; c++) {
                    out[i * target + c] = v;
                }
            } else if (target == 3) {
                out[i * 3] = data[p];
                out[i * 3 + 1] = data[p + 1];
                out[i * 3 + 2] = data[p + 2];
            } else {
                int r = data[p] & 0xff;
                int g = data[p + 1] & 0xff;
                int b = data[p + 2] & 0xff;
                out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new Pixels(width, height, target, out);
    }

    /**
     * Resized to {@code h x w} with a bilinear (triangle) filter that widens with the scale when
     * shrinking, so downscaling averages instead of skipping pixels (PIL's BILINEAR resampling),
     * computed in double and rounded to bytes: the same bytes on every machine and thread.
     */
    Pixels resize(int h, int w) {
        if (h == height && w == width) {
            return this;
        }
        Taps cols = Taps.of(width, w);
        Taps rows = Taps.of(height, h);
        int c = channels;
        // horizontal pass into doubles, then vertical into bytes
        double[] mid = new double[height * w * c];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < w; x++) {
                int first = cols.first[x];
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int k = 0; k < cols.count[x]; k++) {
                        sum += cols.weight[x][k] * (data[(y * width + first + k) * c + ch] & 0xff);
                    }
                    mid[(y * w + x) * c + ch] = sum;
                }
            }
        }
        byte[] out = new byte[h * w * c];
        for (int y = 0; y < h; y++) {
            int first = rows.first[y];
            for (int x = 0; x < w; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int k = 0; k < rows.count[y]; k++) {
                        sum += rows.weight[y][k] * mid[((first + k) * w + x) * c + ch];
                    }
                    long v = Math.round(sum);
                    out[(y * w + x) * c + ch] = (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
                }
            }
        }
        return new Pixels(w, h, c, out);
    }

    /** The source pixels and weights of each output pixel along one axis. */
    private record Taps(int[] first, int[] count, double[][] weight) {
        static Taps of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(scale, 1.0);
            int[] first = new int[out];
            int[] count = new int[out];
            double[][] weight = new double[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in, (int) Math.ceil(centre + support));
                double[] w = new double[hi - lo];
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    double t = 1 - Math.abs((j + 0.5 - centre) / support);
                    w[j - lo] = t > 0 ? t : 0;
                    total += w[j - lo];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= total;
                }
                first[i] = lo;
                count[i] = w.length;
                weight[i] = w;
            }
            return new Taps(first, count, weight);
        }
    }
}
