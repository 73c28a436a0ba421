package dev.stride.hooks.builtin.testing;

/** Sleeps without a checked exception. */
public final class Sleep {
    private Sleep() {}

    public static void millis(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
