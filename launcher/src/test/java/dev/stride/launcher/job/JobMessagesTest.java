package dev.stride.launcher.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A provider's problem names its section once, with the option it checked when it says which. */
class JobMessagesTest {
    @Test
    void anOptionCheckedWhereItsSectionWasWrittenIsNamedOnce() {
        assertEquals("--set data.train.prefetch=lots: data.train.prefetch: 'lots': use auto",
                Job.qualified("--set data.train.prefetch=lots: ", "data.train",
                        "--set data.train.prefetch=lots: prefetch: 'lots': use auto"));
        assertEquals("job.conf:2: optimizer.lr: -1.0 is outside 0.0..1000000.0",
                Job.qualified("job.conf:2: ", "optimizer", "job.conf:2: lr: -1.0 is outside 0.0..1000000.0"));
    }

    @Test
    void otherMessagesKeepTheSectionAsAPrefix() {
        // the value written on another line than the section: both places stay
        assertEquals("job.conf:10: data.train: job.conf:12: prefetch: 99 is outside 0..64",
                Job.qualified("job.conf:10: ", "data.train", "job.conf:12: prefetch: 99 is outside 0..64"));
        // no option named: the section's place and name first
        assertEquals("job.conf:10: data.train: 160 samples in batches of 500 give no batch",
                Job.qualified("job.conf:10: ", "data.train", "160 samples in batches of 500 give no batch"));
        assertEquals("job.conf:10: model: the model does not take samples of shape [3]",
                Job.qualified("job.conf:10: ", "model", "job.conf:10: the model does not take samples of shape [3]"));
        assertEquals("data.train: the file is missing", Job.qualified("", "data.train", "the file is missing"));
    }
}
