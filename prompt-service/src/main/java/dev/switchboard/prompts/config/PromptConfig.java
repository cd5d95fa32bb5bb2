package dev.switchboard.prompts.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/** Every prompt-service setting, mapped from environment names in application.properties. */
@ConfigMapping(prefix = "prompts")
public interface PromptConfig {

    /** Redis pub/sub channel prompt change events go to. */
    @WithDefault("sb:events:prompts")
    String eventsChannel();

    /** YAML import settings ({@code prompts.import.*}). */
    @WithName("import")
    Import importer();

    /** YAML import of prompt files at start. */
    interface Import {

        /** Whether prompts are imported at start ({@code PROMPTS_IMPORT_ENABLED}). */
        @WithDefault("true")
        boolean enabled();

        /** Classpath index listing the bundled YAML files, one name per line, relative to its folder. */
        @WithDefault("prompts/index.txt")
        String classpathIndex();

        /** Extra directory whose {@code *.yaml}/{@code *.yml} files are imported too ({@code PROMPTS_DIR}). */
        Optional<String> dir();

        /**
         * How often to re-import (e.g. {@code 5m}) so edits in {@code PROMPTS_DIR} apply without a restart
         * ({@code PROMPTS_RELOAD_INTERVAL}); {@code off} disables it.
         */
        @WithDefault("off")
        String reloadInterval();

        /** Labels a new seed version is published under (production serves it at once). */
        @WithDefault("production,staging")
        List<String> labels();
    }
}
