package dev.odeflow.driver.conf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumePolicyTest {

    @Test
    void falseTrueAndAutoAreAccepted() {
        assertEquals(ResumePolicy.NEVER, resume("false"));
        assertEquals(ResumePolicy.NEVER, resume("no"));
        assertEquals(ResumePolicy.ALWAYS, resume("true"));
        assertEquals(ResumePolicy.ALWAYS, resume("YES"));
        assertEquals(ResumePolicy.AUTO, resume("auto"));
        assertEquals(ResumePolicy.AUTO, resume(" Auto "));
        assertEquals(ResumePolicy.NEVER, TrainConfig.fromOverrides("checkpoint.dir=/tmp/ck").checkpoint().resume(),
                "the default");
        assertFalse(ResumePolicy.NEVER.mayResume());
        assertTrue(ResumePolicy.AUTO.mayResume() && ResumePolicy.ALWAYS.mayResume());
        for (ResumePolicy p : ResumePolicy.values()) {
            assertEquals(p, ResumePolicy.parse(p.label()), "a label parses back");
        }
    }

    @Test
    void anotherValueIsAnErrorNamingTheKeyAndTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> resume("sometimes"));
        assertTrue(e.getMessage().contains("resume") && e.getMessage().contains("false, true or auto")
                && e.getMessage().contains("sometimes"), e.getMessage());
    }

    @Test
    void autoNeedsACheckpointDirectoryLikeTrue() {
        ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.fromOverrides("resume=auto"));
        assertTrue(e.getMessage().contains("checkpoint.dir"), e.getMessage());
    }

    private static ResumePolicy resume(String value) {
        return TrainConfig.fromOverrides("checkpoint.dir=/tmp/ck", "resume=" + value).checkpoint().resume();
    }
}
