package dev.stride.runner.api;

import org.apiguardian.api.API;

/** The true and the predicted class of each sample of a batch, in batch order. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Predictions(int[] labels, int[] predicted) {
    public Predictions {
        if (labels.length != predicted.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + predicted.length + " predictions");
        }
        labels = labels.clone();
        predicted = predicted.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int[] predicted() {
        return predicted.clone();
    }

    public int size() {
        return labels.length;
    }
}
