package dev.stride.launcher.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Batch;
import dev.stride.runner.api.BatchStream;
import dev.stride.runner.api.DataLoader;
import dev.stride.runner.api.DataSpec;
import dev.stride.runner.api.Mode;
import dev.stride.runner.api.Model;
import dev.stride.runner.api.Optimizer;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.StepOutput;
import dev.stride.runner.api.spi.DatasetProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.support.BaseRunner;
import dev.stride.launcher.Problems;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** A planned job built: data loaded, model, optimizer and runner created, hooks registered. */
public final class Job {
    public final JobPlan plan;
    public final Runner runner;
    public final Map<Mode, DataLoader> loaders;

    private Job(JobPlan plan, Runner runner, Map<Mode, DataLoader> loaders) {
        this.plan = plan;
        this.runner = runner;
        this.loaders = loaders;
    }

    /**
     * One train step (forward and backward) on the first train batch and one val step on the
     * first val batch, for {@code --dry-run}: what would fail in the first iteration fails here.
     * The optimizer does not step, and nothing is written.
     *
     * @return the train loss, then the val step's outputs
     */
    public Map<String, Double> rehearse() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("train loss", firstStep(Mode.TRAIN, (m, b) -> m.trainStep(b, plan.seed)).get("loss"));
        if (loaders.containsKey(Mode.VAL)) {
            firstStep(Mode.VAL, Model::valStep).forEach((k, v) -> out.put("val " + k, v));
        }
        return out;
    }

    private Map<String, Double> firstStep(Mode mode, BiFunction<Model, Batch, StepOutput> step) {
        try (BatchStream batches = loaders.get(mode).open(0, 0)) {
            try (Batch b = batches.next()) {
                return step.apply(runner.model(), b).scalars();
            }
        }
    }

    /** @throws BadInputException listing every problem met (missing data files, bad option values) */
    public static Job build(JobPlan plan, String subject) {
        Problems problems = new Problems();
        Map<Mode, DataLoader> loaders = new EnumMap<>(Mode.class);
        plan.data.forEach((mode, s) -> {
            DatasetProvider p = s.provider();
            DataLoader l = attempt(problems, Problems.where(s.options().origin()), "data." + mode.id(),
                    () -> p.create(s.options(), mode, plan.seed));
            if (l != null) {
                loaders.put(mode, l);
            }
        });
        problems.throwIfAny(subject);
        loaders.forEach((mode, l) -> {
            if (l.batchesPerEpoch() < 1) {
                problems.add(noBatches(plan.data.get(mode), mode, l));
            } else if (!l.hasTargets()) {
                problems.add(Problems.where(plan.data.get(mode).options().origin()) + "data." + mode.id() + ": it has no targets"
                        + " (labels or values), which " + (mode == Mode.TRAIN ? "training" : "validation") + " needs; data"
                        + " without targets is for stride predict");
            }
        });
        problems.throwIfAny(subject);
        DataLoader train = loaders.get(Mode.TRAIN);
        if (train == null) {
            throw new BadInputException(subject + ": there is no data.train section to train on");
        }
        loaders.forEach((mode, l) -> {
            if (l != train && !java.util.Arrays.equals(l.spec().sampleShape(), train.spec().sampleShape())) {
                problems.add(Problems.where(plan.data.get(mode).options().origin()) + "data." + mode.id() + ": its samples have shape "
                        + java.util.Arrays.toString(l.spec().sampleShape()) + " but data.train's have "
                        + java.util.Arrays.toString(train.spec().sampleShape()) + "; the model is sized by data.train");
            } else if (l.spec().numClasses() > train.spec().numClasses()) {
                problems.add(Problems.where(plan.data.get(mode).options().origin()) + "data." + mode.id() + ": "
                        + l.spec().numClasses() + " classes but data.train has " + train.spec().numClasses());
            }
        });
        problems.throwIfAny(subject);
        // val (and test) data are prepared with the statistics fitted on the train data (standardisation ...)
        dev.stride.runner.api.Checkpoint fitted = new dev.stride.runner.api.Checkpoint();
        train.saveState(fitted.section(BaseRunner.DATA, BaseRunner.DATA));
        loaders.forEach((mode, l) -> {
            if (l != train) {
                l.loadState(fitted.section(BaseRunner.DATA, BaseRunner.DATA));
            }
        });
        Model model = attempt(problems, Problems.where(plan.model.options().origin()), "model",
                () -> plan.model.provider().create(plan.model.options(), train.spec(), plan.seed));
        problems.throwIfAny(subject);
        fits(plan, model, loaders, problems);
        problems.throwIfAny(subject);
        Optimizer optimizer = attempt(problems, Problems.where(plan.optimizer.options().origin()), "optimizer",
                () -> plan.optimizer.provider().create(plan.optimizer.options(), model));
        problems.throwIfAny(subject);
        Runner runner = attempt(problems, Problems.where(plan.runner.options().origin()), "runner", () -> plan.runner.provider().create(
                RunnerSettings.builder(model, optimizer)
                        .workDir(plan.workDir).seed(plan.seed).options(plan.runner.options()).job(plan.recorded).build()));
        problems.throwIfAny(subject);
        for (JobPlan.PlannedHook h : plan.hooks) {
            runner.registerHook(h.hook(), h.priority());
        }
        return new Job(plan, runner, loaders);
    }

    /**
     * The data fits the model before the first step, or the user is told how it does not: the
     * sample shape it was built for, and labels within its classes (a label beyond them would end
     * in an engine error deep inside the first step).
     */
    static void fits(JobPlan plan, Model model, Map<Mode, DataLoader> loaders, Problems problems) {
        DataSpec expects = model.dataSpec();
        if (expects == null) {
            return;
        }
        loaders.forEach((mode, l) -> problems.addAll(mismatch(expects, l.spec(), "data." + mode.id(),
                Problems.where(plan.data.get(mode).options().origin()), Problems.where(plan.model.options().origin()))));
    }

    /** What does not fit between a model built for {@code expects} and data of {@code spec}; empty when it fits. */
    public static java.util.List<String> mismatch(DataSpec expects, DataSpec spec, String data, String dataWhere,
            String modelWhere) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (!java.util.Arrays.equals(expects.sampleShape(), spec.sampleShape())) {
            out.add(dataWhere + data + ": its samples have shape " + java.util.Arrays.toString(spec.sampleShape())
                    + ", the model takes " + java.util.Arrays.toString(expects.sampleShape()));
        }
        if (expects.isRegression() != spec.isRegression()) {
            out.add(dataWhere + data + ": it has " + (spec.isRegression() ? spec.targets() + " regression targets"
                    : spec.numClasses() + " classes") + ", but the model " + (expects.isRegression()
                    ? "predicts " + expects.targets() + " regression values" : "is a classifier of " + expects.numClasses()
                    + " classes"));
        } else if (!spec.isRegression() && spec.numClasses() > expects.numClasses()) {
            out.add(modelWhere + "model: it outputs " + expects.numClasses() + " classes (labels 0.." + (expects.numClasses() - 1)
                    + "), but " + data + " has " + spec.numClasses() + " classes (labels up to " + (spec.numClasses() - 1)
                    + "): set model.num-classes = " + spec.numClasses() + " (or 0 to take the data's)");
        } else if (spec.isRegression() && spec.targets() != expects.targets()) {
            out.add(dataWhere + data + ": " + spec.targets() + " regression targets per sample, the model predicts "
                    + expects.targets());
        }
        return out;
    }

    /** A loader that gives no batch would train nothing (or validate nothing) and still report success. */
    private static String noBatches(JobPlan.Section<DatasetProvider> s, Mode mode, DataLoader l) {
        Config o = s.options();
        String batch = o.hasPath("batch-size") ? String.valueOf(o.getValue("batch-size").unwrapped()) : "?";
        String dropLast = o.hasPath("drop-last") ? String.valueOf(o.getValue("drop-last").unwrapped()) : "false";
        int shards = o.hasPath("shards") && o.getValue("shards").unwrapped() instanceof Number n ? n.intValue() : 1;
        String fix = shards > 1 && l.samples() > 0 && l.samples() < shards
                ? "split among " + shards + " ranks (shards) it gives none a sample; use fewer ranks, more data, or (for"
                        + " data.val) dist.split-val = false"
                : "true".equals(dropLast) && l.samples() > 0
                ? "use a batch-size of at most " + l.samples() + ", or drop-last = false"
                : "check its files and options";
        return Problems.where(o.origin()) + "data." + mode.id() + ": " + l.samples() + " samples in batches of " + batch
                + " with drop-last = " + dropLast + " give no batch per epoch, so the " + mode.id() + " phase would do"
                + " nothing: " + fix;
    }

    /** A key at the start of a provider's message, as {@code Settings} names the option it checked: {@code "prefetch: "}. */
    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*: ");

    /**
     * A provider's problem with its section named: {@code "job.conf:3: data.train: the file ... is missing"}.
     * When the message already starts where the section does (a {@code --set} that wrote both, which
     * the provider's {@code Settings} check names again), that place is said once, and an option the
     * message names joins the section: {@code "--set data.train.prefetch=lots: data.train.prefetch:
     * 'lots': use ..."}.
     */
    static String qualified(String where, String section, String message) {
        if (!where.isEmpty() && message.startsWith(where)) {
            String rest = message.substring(where.length());
            return where + section + (KEY.matcher(rest).find() ? "." : ": ") + rest;
        }
        return where + section + ": " + message;
    }

    private static <T> T attempt(Problems problems, String where, String section, Supplier<T> create) {
        try {
            return create.get();
        } catch (BadInputException e) {
            problems.add(qualified(where, section, e.getMessage()));
        } catch (ConfigException e) {
            problems.add(e);
        }
        return null;
    }
}
