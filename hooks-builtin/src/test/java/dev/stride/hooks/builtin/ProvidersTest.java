package dev.stride.hooks.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.stride.runner.api.BadInputException;
import dev.stride.runner.api.spi.HookProvider;
import dev.stride.runner.api.spi.SpiVersion;
import dev.stride.runner.testkit.Harness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ProvidersTest {
    /** Options a hook cannot be created without. */
    private static final Map<String, String> REQUIRED = Map.of("early-stopping", "monitor = accuracy", "lr-schedule",
            "policy = fixed", "momentum-schedule", "policy = cosine, min-momentum-ratio = 0.5");

    @Test
    void moduleInfoAndServicesFileDeclareTheSameProviders() throws IOException {
        String moduleInfo = Files.readString(Path.of("src/main/java/module-info.java"));
        Matcher m = Pattern.compile("provides\\s+dev\\.stride\\.runner\\.api\\.spi\\.HookProvider\\s+with\\s+([^;]+);")
                .matcher(moduleInfo);
        assertTrue(m.find(), "module-info provides HookProvider");
        Set<String> provided = new TreeSet<>();
        for (String name : m.group(1).split(",")) {
            provided.add(name.trim());
        }
        Set<String> services = new TreeSet<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/services/dev.stride.runner.api.spi.HookProvider")) {
            assertNotNull(in);
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    services.add(line.trim().replace('$', '.'));
                }
            }
        }
        assertEquals(provided, services);
    }

    @Test
    void everyProviderHasAUniqueNameDefaultsAndCanBeCreatedFromThem() {
        Config reference = ConfigFactory.defaultReference().getConfig("stride.hook");
        List<String> names = new ArrayList<>();
        for (HookProvider p : ServiceLoader.load(HookProvider.class)) {
            if (!p.getClass().getPackageName().startsWith("dev.stride.hooks.builtin")) {
                continue;
            }
            names.add(p.name());
            assertEquals(SpiVersion.CURRENT, p.spiVersion());
            assertFalse(p.description().isBlank(), p.name());
            assertTrue(reference.root().containsKey(p.name()), "reference.conf has stride.hook." + p.name());
            assertNotNull(p.create(Harness.hookOptions(p.name(), REQUIRED.getOrDefault(p.name(), ""))), p.name());
        }
        assertEquals(new TreeSet<>(names).size(), names.size(), names::toString);
        assertTrue(names.containsAll(List.of("optimizer", "iter-timer", "text-logger", "json-logger", "checkpoint", "eval",
                "early-stopping", "invalid-loss", "progress", "memory", "tensorboard", "plot", "profile", "lr-schedule",
                "momentum-schedule")), names::toString);
    }

    @Test
    void anUnknownOptionIsReportedWithTheClosestName() {
        BadInputException e = assertThrows(BadInputException.class, () -> Harness.newHook("progress", "intervall = 3"));
        assertTrue(e.getMessage().contains("unknown option 'intervall' of hook 'progress'")
                && e.getMessage().contains("interval"), e.getMessage());
    }
}
