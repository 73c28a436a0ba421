package dev.stride.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's mistakes end with exit status 2, a message naming the file, line and key, no stack trace. */
class ConfigErrorsIT {
    @TempDir
    Path tmp;

    private StrideCli.Result train(String conf, String... extra) throws Exception {
        Path cfg = Configs.write(tmp, "job.conf", conf);
        String[] args = new String[extra.length + 2];
        args[0] = "train";
        args[1] = cfg.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return StrideCli.run(tmp, args);
    }

    private static void assertUserError(StrideCli.Result r, String... fragments) {
        assertEquals(2, r.exit(), r.all());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing in:\n" + r.err());
        }
        assertFalse(r.all().contains("\tat "), "no stack trace for a user mistake:\n" + r.all());
    }

    @Test
    void unknownModelTypeNamesKeyFileLineAndTheClosestName() throws Exception {
        Path work = tmp.resolve("work");
        StrideCli.Result r = train(Configs.mlp(work, 100).replace("type = mlp", "type = mlpp"));
        assertUserError(r, "job.conf:5", "model.type", "unknown model type 'mlpp'", "did you mean 'mlp'", "lenet, mlp");
        assertFalse(Files.exists(work), "nothing may be written before the config is valid");
    }

    @Test
    void unknownHookOptionIsAnErrorWithDidYouMean() throws Exception {
        StrideCli.Result r = train(Configs.mlp(tmp.resolve("w"), 100).replace("interval = 10 }\n  { type = json",
                "intervl = 10 }\n  { type = json"));
        assertUserError(r, "job.conf:", "hooks[1].intervl", "unknown option 'intervl'", "did you mean 'interval'");
    }

    @Test
    void allProblemsAreReportedAtOnce() throws Exception {
        String conf = Configs.mlp(tmp.resolve("w"), 100)
                .replace("type = mlp", "type = mlpp")
                .replace("type = sgd", "type = sgdd")
                .replace("[[train, 1], [val, 1]]", "[[train, 1], [vall, 1]]")
                .replace("seed = 7", "seed = 7\nsede = 8");
        StrideCli.Result r = train(conf);
        assertUserError(r, "has 4 problems", "unknown model type 'mlpp'", "unknown optimizer type 'sgdd'",
                "unknown mode 'vall'", "did you mean 'val'", "sede: unknown key", "did you mean 'seed'");
    }

    @Test
    void malformedHoconGivesFileAndLine() throws Exception {
        StrideCli.Result r = train("runner { type = epoch\nmodel { type = mlp ]\n");
        assertUserError(r, "job.conf: 2");
    }

    @Test
    void aWorkflowWithoutTrainIsRejectedAtStart() throws Exception {
        StrideCli.Result r = train(Configs.mlp(tmp.resolve("w"), 100).replace("[[train, 1], [val, 1]]", "[[val, 1]]"));
        assertUserError(r, "workflow", "has no train phase");
    }

    @Test
    void aWrongTypeNamesTheKey() throws Exception {
        StrideCli.Result r = train(Configs.mlp(tmp.resolve("w"), 100).replace("lr = 0.1", "lr = fast"));
        assertUserError(r, "job.conf:10", "optimizer.lr", "expected a number");
    }

    @Test
    void aMissingDataFileNamesThePath() throws Exception {
        StrideCli.Result r = train(Configs.mlp(tmp.resolve("w"), 100).replace("split = t10k", "split = t20k"));
        assertUserError(r, "data.val", "t20k-images-idx3-ubyte.gz does not exist");
    }

    @Test
    void aMissingConfigFileAndAnUnknownOption() throws Exception {
        assertUserError(StrideCli.run(tmp, "train", "nope.conf"), "nope.conf does not exist");
        assertUserError(StrideCli.run(tmp, "train", "nope.conf", "--epochs", "3"), "Unknown option", "--epochs", "stride train --help");
    }

    @Test
    void anUnwritableWorkDirIsReportedBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        StrideCli.Result r = train(Configs.mlp(file.resolve("sub"), 100));
        assertUserError(r, "cannot be written", "--work-dir");
    }

    @Test
    void setOverridesAnyPath() throws Exception {
        StrideCli.Result r = train(Configs.mlp(tmp.resolve("w"), 100), "--set", "model.type=lenett");
        assertUserError(r, "--set model.type=lenett", "did you mean 'lenet'");
    }

    /** A hook's name keys its state in checkpoints: two stateful hooks of one type need ids; with ids they run. */
    @Test
    void twoStatefulHooksOfOneTypeNeedIdsOfTheirOwn() throws Exception {
        Path work = tmp.resolve("twins");
        String twins = Configs.mlp(work, 100).replace("hooks = [", """
                hooks = [
                  { type = eval, save-best = accuracy }
                  { type = eval, save-best = loss }""");
        StrideCli.Result r = train(twins);
        assertUserError(r, "job.conf:", "hooks[1]: a second hook named 'eval' (hooks[0] is the first)",
                "give each an id of its own", "id = eval-2");
        assertFalse(Files.exists(work), "nothing may be written before the config is valid");

        StrideCli.Result ok = train(twins.replace("save-best = accuracy }", "save-best = accuracy, id = best-acc }")
                .replace("save-best = loss }", "save-best = loss, id = best-loss }"), "--dry-run");
        assertEquals(0, ok.exit(), ok.all());

        StrideCli.Result bad = train(twins.replace("save-best = loss }", "save-best = loss, id = \"no spaces\" }"));
        assertUserError(bad, "hooks[1].id", "'no spaces' is not a hook id");
    }
}
