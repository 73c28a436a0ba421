package dev.stride.runner.api.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import org.junit.jupiter.api.Test;

/** {@link Settings#where}: the user's part of a merged origin, whole, even when a --set value holds commas. */
class SettingsWhereTest {
    private static Config parse(String text, String origin) {
        return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(origin));
    }

    private static final Config FILE = parse("model { type = mlp, hidden = [8] }", "/work/job.conf");
    private static final Config DEFAULTS = parse("hidden = [4], dropout = 0", "reference.conf @ jar:file:/lib/x.jar!/reference.conf");

    @Test
    void aSetValueWithCommasIsKeptWhole() {
        String set = "--set model.hidden=[8,4,2]";
        Config merged = parse("model.hidden = [8,4,2]", set).withFallback(FILE);
        assertEquals(set + ": ", Settings.where(merged.getConfig("model").withFallback(DEFAULTS).origin()));
        assertEquals(set + ": ", Settings.where(merged.getValue("model.hidden").origin()));
    }

    @Test
    void anObjectValueWithCommasAndColonsIsKeptWhole() {
        String set = "--set model={type: mlp, hidden: [8, 4]}";
        Config merged = parse("model = {type: mlp, hidden: [8, 4]}", set).withFallback(FILE);
        assertEquals(set + ": ", Settings.where(merged.getConfig("model").withFallback(DEFAULTS).origin()));
    }

    @Test
    void keyColonNumberPairsInsideASetValueDoNotEndIt() {
        String set = "--set data.train={size: 160, batch-size: 500, drop-last: true}";
        Config file = parse("data { train { type = synthetic, size = 10 } }", "/work/job.conf");
        Config merged = parse("data.train = {size: 160, batch-size: 500, drop-last: true}", set).withFallback(file);
        assertEquals(set + ": ", Settings.where(merged.getConfig("data.train").withFallback(DEFAULTS).origin()));
    }

    @Test
    void aFileKeepsItsLineAndACommaInItsNameStays() {
        assertEquals("/work/job.conf:1: ", Settings.where(FILE.getConfig("model").withFallback(DEFAULTS).origin()));
        Config odd = parse("model { type = mlp }", "/work/a,b/job.conf");
        assertEquals("/work/a,b/job.conf:1: ", Settings.where(odd.getConfig("model").withFallback(DEFAULTS).origin()));
    }
}
