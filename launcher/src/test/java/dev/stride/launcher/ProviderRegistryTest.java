package dev.stride.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.Hook;
import dev.stride.runner.api.Runner;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.ProviderKind;
import dev.stride.runner.api.spi.RunnerProvider;
import dev.stride.runner.api.spi.RunnerSettings;
import dev.stride.runner.api.spi.SpiVersion;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {
    /** A runner provider with a given name and SPI version. */
    abstract static class TestRunner implements RunnerProvider {
        private final String name;
        private final int spi;

        TestRunner(String name, int spi) {
            this.name = name;
            this.spi = spi;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int spiVersion() {
            return spi;
        }

        @Override
        public Runner create(RunnerSettings settings) {
            throw new UnsupportedOperationException();
        }
    }

    static final class EpochA extends TestRunner {
        EpochA() {
            super("epoch", SpiVersion.CURRENT);
        }
    }

    static final class EpochB extends TestRunner {
        EpochB() {
            super("epoch", SpiVersion.CURRENT);
        }
    }

    static final class Iter extends TestRunner {
        Iter() {
            super("iter", SpiVersion.CURRENT);
        }
    }

    static final class Named extends TestRunner {
        Named(String name) {
            super(name, SpiVersion.CURRENT);
        }
    }

    static final class Future extends TestRunner {
        Future() {
            super("future", SpiVersion.CURRENT + 1);
        }
    }

    static final class BrokenName extends TestRunner {
        BrokenName() {
            super("x", SpiVersion.CURRENT);
        }

        @Override
        public String name() {
            throw new AbstractMethodError("name");
        }
    }

    /** Found through a services file in the tests below. */
    public static final class GoodHook implements HookProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        public GoodHook() {}

        @Override
        public String name() {
            return "good-hook";
        }

        @Override
        public Hook create(Config options) {
            return new Hook() {};
        }
    }

    /** Its constructor throws. */
    public static final class ThrowingHook implements HookProvider {
        @Override
        public int spiVersion() {
            return SpiVersion.CURRENT;
        }

        public ThrowingHook() {
            throw new IllegalStateException("no native library");
        }

        @Override
        public String name() {
            return "throwing-hook";
        }

        @Override
        public Hook create(Config options) {
            return null;
        }
    }

    private static ProviderRegistry registry() {
        return new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new EpochA())
                .add(ProviderKind.RUNNER, new Iter())
                .build();
    }

    @Test
    void providersAreFoundByKindAndName() {
        EpochA epoch = new EpochA();
        ProviderRegistry r = new ProviderRegistry.Builder().add(ProviderKind.RUNNER, new Iter())
                .add(ProviderKind.RUNNER, epoch).build();
        assertEquals(List.of("epoch", "iter"), List.copyOf(r.names(ProviderKind.RUNNER)), "sorted by name");
        assertSame(epoch, r.find(ProviderKind.RUNNER, "epoch").orElseThrow().provider());
        assertTrue(r.find(ProviderKind.HOOK, "epoch").isEmpty());
        RunnerProvider p = r.get(ProviderKind.RUNNER, "epoch", null, "runner.type");
        assertSame(epoch, p);
        assertEquals(2, r.all().size());
        ProviderRegistry.Entry e = r.find(ProviderKind.RUNNER, "iter").orElseThrow();
        assertEquals("iter", e.name());
        assertEquals("(class path)", e.module());
        assertEquals("class path", e.origin());
        assertTrue(e.location().contains("test-classes"), e.location());
    }

    @Test
    void duplicateNamesAreAnErrorListingBothClasses() {
        ProviderRegistry.Builder b = new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new EpochA())
                .add(ProviderKind.RUNNER, new EpochB());
        BadInputException e = assertThrows(BadInputException.class, b::build);
        String m = e.getMessage();
        assertTrue(m.contains("two runner providers are named 'epoch'"), m);
        assertTrue(m.contains(EpochA.class.getName()), m);
        assertTrue(m.contains(EpochB.class.getName()), m);
        assertTrue(m.contains("test-classes"), "names where each came from: " + m);
    }

    @Test
    void theSameClassFoundTwiceIsNotADuplicate() {
        ProviderRegistry r = new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new EpochA())
                .add(ProviderKind.RUNNER, new EpochA())
                .build();
        assertEquals(List.of("epoch"), List.copyOf(r.names(ProviderKind.RUNNER)));
    }

    @Test
    void sameNameInDifferentKindsIsFine() {
        ProviderRegistry r = new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new Named("checkpoint"))
                .add(ProviderKind.HOOK, new GoodHook())
                .build();
        assertTrue(r.find(ProviderKind.RUNNER, "checkpoint").isPresent());
        assertTrue(r.find(ProviderKind.HOOK, "good-hook").isPresent());
    }

    @Test
    void invalidNamesAreRejected() {
        for (String bad : new String[] {"Epoch", "my_runner", "", "-epoch", "epoch-", "two--dashes", "white space"}) {
            ProviderRegistry.Builder b = new ProviderRegistry.Builder().add(ProviderKind.RUNNER, new Named(bad));
            BadInputException e = assertThrows(BadInputException.class, b::build, bad);
            assertTrue(e.getMessage().contains("invalid name '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(Named.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("lower-case words joined by '-'"), e.getMessage());
        }
        BadInputException e = assertThrows(BadInputException.class,
                new ProviderRegistry.Builder().add(ProviderKind.RUNNER, new Named(null))::build);
        assertTrue(e.getMessage().contains("invalid name 'null'"), e.getMessage());
        // and good ones are accepted
        new ProviderRegistry.Builder().add(ProviderKind.RUNNER, new Named("text-logger-2")).build();
    }

    @Test
    void spiVersionMismatchIsRejectedNamingTheJar() {
        ProviderRegistry.Builder b = new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new Future())
                .add(ProviderKind.RUNNER, new Iter());
        assertEquals(1, b.problems().lines().size());
        BadInputException e = assertThrows(BadInputException.class, b::build);
        String m = e.getMessage();
        assertTrue(m.contains("runner 'future'"), m);
        assertTrue(m.contains(Future.class.getName()), m);
        assertTrue(m.contains("SPI version " + (SpiVersion.CURRENT + 1)), m);
        assertTrue(m.contains("this Stride has version " + SpiVersion.CURRENT), m);
        assertTrue(m.contains("Rebuild"), m);
    }

    @Test
    void aProviderFailingInNameIsReported() {
        BadInputException e = assertThrows(BadInputException.class,
                new ProviderRegistry.Builder().add(ProviderKind.RUNNER, new BrokenName())::build);
        assertTrue(e.getMessage().contains(BrokenName.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("fails in name()"), e.getMessage());
    }

    @Test
    void everyProblemIsListed() {
        ProviderRegistry.Builder b = new ProviderRegistry.Builder()
                .add(ProviderKind.RUNNER, new Future())
                .add(ProviderKind.RUNNER, new Named("Bad"))
                .add(ProviderKind.RUNNER, new EpochA())
                .add(ProviderKind.RUNNER, new EpochB());
        BadInputException e = assertThrows(BadInputException.class, b::build);
        assertTrue(e.getMessage().startsWith("The set of providers found has 3 problems:"), e.getMessage());
    }

    @Test
    void unknownNameListsKnownNamesAndSuggests() {
        Config cfg = ConfigFactory.parseString("runner { type = epoc }",
                ConfigParseOptions.defaults().setOriginDescription("train.conf"));
        BadInputException e = assertThrows(BadInputException.class, () -> registry().get(ProviderKind.RUNNER, "epoc",
                cfg.getValue("runner.type").origin(), "runner.type"));
        String m = e.getMessage();
        assertTrue(m.startsWith("train.conf: 1: runner.type: "), m);
        assertTrue(m.contains("unknown runner type 'epoc' (did you mean 'epoch'?)"), m);
        assertTrue(m.contains("Known runners: epoch, iter."), m);
        assertTrue(m.contains("plugins"), m);

        String none = registry().unknown(ProviderKind.HOOK, "ema", "hooks[0].type");
        assertTrue(none.contains("unknown hook type 'ema'. Known hooks: none."), none);
        assertFalse(none.contains("did you mean"), none);

        String far = registry().unknown(ProviderKind.RUNNER, "zzzzzz", null);
        assertTrue(far.startsWith("unknown runner type 'zzzzzz'. Known runners: epoch, iter."), far);
    }

    @Test
    void scanReportsProvidersThatCannotBeLoadedOrInstantiated(@TempDir Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(HookProvider.class.getName()), String.join("\n",
                GoodHook.class.getName(), ThrowingHook.class.getName(), "com.example.Missing", ""));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ProviderRegistry.Builder b = new ProviderRegistry.Builder()
                    .scan(ProviderKind.HOOK, ServiceLoader.load(HookProvider.class, loader));
            List<String> problems = b.problems().lines();
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.stream().anyMatch(l -> l.contains(ThrowingHook.class.getName())
                    && l.contains("failed to instantiate") && l.contains("no native library")), problems.toString());
            assertTrue(problems.stream().anyMatch(l -> l.contains("com.example.Missing")
                    && l.contains("cannot be loaded")), problems.toString());
            BadInputException e = assertThrows(BadInputException.class, b::build);
            assertTrue(e.getMessage().contains("2 problems"), e.getMessage());
        }
    }

    @Test
    void scanAddsProvidersItCanLoad(@TempDir Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(HookProvider.class.getName()), "# a comment\n" + GoodHook.class.getName() + "\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            ProviderRegistry r = new ProviderRegistry.Builder()
                    .scan(ProviderKind.HOOK, ServiceLoader.load(HookProvider.class, loader)).build();
            assertEquals(List.of("good-hook"), List.copyOf(r.names(ProviderKind.HOOK)));
        }
    }

    @Test
    void versionSeries() {
        assertTrue(ProviderRegistry.sameSeries(ModuleDescriptor.Version.parse("0.1.0"), ModuleDescriptor.Version.parse("0.1.7")));
        assertFalse(ProviderRegistry.sameSeries(ModuleDescriptor.Version.parse("0.1.0"), ModuleDescriptor.Version.parse("0.2.0")));
        assertTrue(ProviderRegistry.sameSeries(ModuleDescriptor.Version.parse("1.2.0"), ModuleDescriptor.Version.parse("1.9")));
        assertFalse(ProviderRegistry.sameSeries(ModuleDescriptor.Version.parse("1.0"), ModuleDescriptor.Version.parse("2.0")));
    }
}
