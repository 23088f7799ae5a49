package io.interlock.bench;

import io.interlock.command.support.TestDatabase;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A large event store for the replay and read cases, in a schema of its own with no command side
 * attached, so no saga or deadline reacts to it while it is measured. Its events are copies of the
 * {@link HistoryTemplates}: each template event is deserialized with the command side's own event
 * serializer, given the copy's ids and tenant, serialized again, and written with COPY. Copies are
 * interleaved a wave at a time, as many resources changing at once would be, so a batch of the
 * stream touches hundreds of resources rather than a few long histories.
 */
final class ReplayStore {

    /** How many copies are in flight at once; each copy's events are spread over a wave. */
    private static final int WAVE = 2_000;
    private static final List<String> TENANTS = tenants(20);
    /** Instance history lengths (a prefix of the 16-event template) and their weights. */
    private static final int[][] INSTANCE_LENGTHS = {{16, 20}, {14, 10}, {12, 10}, {10, 15}, {8, 15}, {6, 15},
            {4, 10}, {3, 5}};
    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final String COPY = "copy domain_event_entry (global_index, aggregate_identifier, sequence_number, "
            + "type, event_identifier, payload_type, payload_revision, payload, meta_data, time_stamp) from stdin";

    record Summary(long events, int instances, int shares, int storageNodes, int replacements, double seconds) {
    }

    /** One copy of a template: its number names its ids, and it keeps the first {@code length} events. */
    private record Copy(Template template, int number, int length) {
    }

    /** A template with its payloads deserialized once. */
    private record Template(HistoryTemplates.Template stored, List<Object> payloads) {
    }

    private final Serializer serializer;
    private final Map<Class<?>, Constructor<?>> constructors = new ConcurrentHashMap<>();

    ReplayStore(Serializer serializer) {
        this.serializer = serializer;
    }

    /** A fresh schema with the command side's migrations: the event store's tables, empty. */
    static void prepare(String schema) {
        TestDatabase.freshSchema(schema);
        Flyway.configure().dataSource(TestDatabase.url(schema), TestDatabase.USER, "").schemas(schema)
                .locations("classpath:db/migration/command").table("flyway_history_command_side").load().migrate();
    }

    Summary write(String schema, List<HistoryTemplates.Template> templates, int instances) throws Exception {
        long started = System.nanoTime();
        Random random = new Random(42);
        List<Copy> copies = new ArrayList<>();
        int[] counts = new int[templates.size()];
        for (int t = 0; t < templates.size(); t++) {
            Template template = deserialized(templates.get(t));
            String kind = template.stored().kind();
            int n = switch (kind) {
                case "instance" -> instances;
                case "storage" -> Math.max(1, instances / 500);
                default -> Math.max(1, instances / 50);
            };
            counts[t] = n;
            for (int i = 0; i < n; i++) {
                int length = kind.equals("instance") ? instanceLength(random) : template.payloads().size();
                copies.add(new Copy(template, i, Math.min(length, template.payloads().size())));
            }
        }
        Collections.shuffle(copies, random);
        long index = 0;
        Instant start = Instant.now().minusSeconds(86_400);
        try (Connection c = TestDatabase.connect(schema)) {
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY);
            for (int w = 0; w < copies.size(); w += WAVE) {
                List<Copy> wave = copies.subList(w, Math.min(copies.size(), w + WAVE));
                StringBuilder rows = new StringBuilder(WAVE * 1_500);
                for (int round = 0; ; round++) {
                    boolean any = false;
                    for (Copy copyOf : wave) {
                        if (round < copyOf.length()) {
                            any = true;
                            index++;
                            row(rows, copyOf, round, index, start.plusMillis(index));
                        }
                    }
                    if (!any) {
                        break;
                    }
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
            try (Statement s = c.createStatement()) {
                s.execute("select setval('domain_event_entry_global_index_seq', " + index + ")");
                s.execute("analyze domain_event_entry");
            }
        }
        return new Summary(index, counts[0], counts[1], counts[2], counts[3], (System.nanoTime() - started) / 1e9);
    }

    private void row(StringBuilder rows, Copy copy, int position, long globalIndex, Instant at) {
        HistoryTemplates.StoredEvent stored = copy.template().stored().events().get(position);
        UnaryOperator<String> rename = renaming(copy.number());
        SerializedObject<byte[]> payload = serializer.serialize(
                renamed(copy.template().payloads().get(position), rename), byte[].class);
        rows.append(globalIndex).append('\t').append(rename.apply(stored.aggregateId())).append('\t')
                .append(stored.sequence()).append('\t').append(stored.aggregateType()).append('\t')
                .append(UUID.randomUUID()).append('\t').append(payload.getType().getName()).append('\t')
                .append(payload.getType().getRevision() == null ? "\\N" : payload.getType().getRevision()).append('\t')
                .append("\\\\x").append(HexFormat.of().formatHex(payload.getData())).append('\t')
                .append(stored.metadata() == null ? "\\N" : "\\\\x" + HexFormat.of().formatHex(stored.metadata()))
                .append('\t').append(DateTimeUtils.formatInstant(at)).append('\n');
    }

    private Template deserialized(HistoryTemplates.Template stored) {
        List<Object> payloads = new ArrayList<>();
        for (HistoryTemplates.StoredEvent e : stored.events()) {
            payloads.add(serializer.deserialize(new SimpleSerializedObject<>(e.payload(), byte[].class,
                    e.payloadType(), e.payloadRevision())));
        }
        return new Template(stored, payloads);
    }

    /**
     * The copy's ids: the marker becomes its number, the template's tenant one of twenty, and each
     * UUID keeps its first part and ends in the number, so copies never share a task or rule id.
     */
    private static UnaryOperator<String> renaming(int number) {
        String tenant = TENANTS.get(number % TENANTS.size());
        String suffix = String.format("%012x", number);
        String name = String.format("%06d", number);
        return s -> {
            if (s.equals(HistoryTemplates.TENANT)) {
                return tenant;
            }
            String r = s.replace(HistoryTemplates.MARKER, name);
            // a tenant's resource is named <tenant>:<id> in the store: the copy's is its tenant's
            if (r.startsWith(HistoryTemplates.TENANT + ":")) {
                r = tenant + r.substring(HistoryTemplates.TENANT.length());
            }
            if (r.length() < 36) {
                return r;
            }
            Matcher m = UUID_PATTERN.matcher(r);
            return m.replaceAll(found -> found.group().substring(0, 24) + suffix);
        };
    }

    /** The same event with every string in it renamed: records are rebuilt, collections copied. */
    private Object renamed(Object value, UnaryOperator<String> rename) {
        if (value instanceof String s) {
            return rename.apply(s);
        }
        if (value instanceof Record r) {
            RecordComponent[] components = r.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    args[i] = renamed(components[i].getAccessor().invoke(r), rename);
                }
                return constructors.computeIfAbsent(r.getClass(), ReplayStore::canonical).newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot copy " + r.getClass(), e);
            }
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(renamed(k, rename), renamed(v, rename)));
            return copy;
        }
        if (value instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(v -> copy.add(renamed(v, rename)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(renamed(v, rename)));
            return copy;
        }
        return value;
    }

    private static Constructor<?> canonical(Class<?> type) {
        try {
            Class<?>[] types = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int instanceLength(Random random) {
        int total = 0;
        for (int[] w : INSTANCE_LENGTHS) {
            total += w[1];
        }
        int pick = random.nextInt(total);
        for (int[] w : INSTANCE_LENGTHS) {
            pick -= w[1];
            if (pick < 0) {
                return w[0];
            }
        }
        throw new IllegalStateException();
    }

    private static List<String> tenants(int count) {
        List<String> tenants = new ArrayList<>(List.of("acme", "globex"));
        for (int i = tenants.size(); i < count; i++) {
            tenants.add(String.format("tenant-%02d", i));
        }
        return tenants;
    }
}
