package dev.stride.engine.djl.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stride.engine.djl.DjlBatch;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.Mode;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The loader core was rebuilt for per-sample sources (image files, DJL data sets); the batches of
 * the in-memory data sets must not change by a bit, or the examples' accuracies would. The hashes
 * were taken from the loader before the rebuild (commit caf58bb).
 */
class BatchesUnchangedTest {
    static String hash(DataLoader l, long epoch) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (BatchStream s = l.open(epoch, 0)) {
            while (s.hasNext()) {
                try (Batch b = s.next()) {
                    DjlBatch d = (DjlBatch) b;
                    md.update(d.x().toByteArray());
                    md.update(d.y().toByteArray());
                    md.update(d.x().getShape().toString().getBytes());
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void mnistAndSyntheticBatchesAreThoseOfTheFormerLoader() throws Exception {
        var p = new DataLoaderTest.DatasetProviderHolder(new MnistIdxProvider());
        DataLoader train = p.provider().create(DataLoaderTest.options(
                "root = \"../data/mnist-10k\", shuffle = true, mean = 0.1307, std = 0.3081", p), Mode.TRAIN, 42);
        assertEquals("434f8c099666c0f9e7752bcb18aebf38a28230273bd964d919815e18cbf59e5d", hash(train, 0));
        assertEquals("6441a3f09014e64e092734931972034238cc8337a1751f82d08875051e459963", hash(train, 3));
        DataLoader shard = p.provider().create(DataLoaderTest.options(
                "root = \"../data/mnist-10k\", split = t10k, batch-size = 500, shard = 1, shards = 3", p), Mode.VAL, 42);
        assertEquals("5f711e720d8dd95a993f504cb9005a327ac0335a7f952fd185016ba96f0ec1fe", hash(shard, 0));
        DataLoader synthetic = DataLoaderTest.synthetic(
                "size = 1000, shape = [3, 4], batch-size = 33, shuffle = true, drop-last = true", 7);
        assertEquals("46ba95920fcc868308040abac8071fd624c9094777a4c2e739a44b894baa9e3d", hash(synthetic, 2));
    }
}
