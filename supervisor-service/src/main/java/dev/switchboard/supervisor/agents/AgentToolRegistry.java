package dev.switchboard.supervisor.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationParameters;
import dev.switchboard.common.json.JacksonCustomizer;
import dev.switchboard.supervisor.crm.calendar.CalendarTools;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The tools agents may call, by name: every {@code @Tool} method of the registered tool beans (today
 * {@link CalendarTools}). Builds their {@link ToolSpecification}s for the model and executes the model's tool
 * execution requests, turning arguments JSON into method arguments ({@code @P(name)} names them;
 * {@code @ToolMemoryId} receives the session id; an {@link InvocationParameters} parameter, which langchain4j leaves
 * out of the tool's schema, receives {@link #TOOL_CALL_KEY}).
 */
@ApplicationScoped
public class AgentToolRegistry {

    /**
     * The {@link InvocationParameters} entry holding the tool call's key ({@code <turn id>:<tool>:<n>}, or absent
     * outside a stored turn): a tool with a side effect makes it once per key.
     */
    public static final String TOOL_CALL_KEY = "tool_call_key";

    private static final Logger LOG = Logger.getLogger(AgentToolRegistry.class);

    private final Map<String, RegisteredTool> tools = new LinkedHashMap<>();
    /** Arguments are the model's text: U+FFFD replaces what PostgreSQL cannot store before a tool writes it. */
    private final ObjectMapper argumentMapper = JacksonCustomizer.forThirdPartyText(new ObjectMapper());

    /** CDI constructor: registers the calendar tools. */
    @Inject
    public AgentToolRegistry(CalendarTools calendarTools) {
        this(List.of(calendarTools));
    }

    /**
     * @param toolBeans objects with {@code @Tool} methods (CDI client proxies are fine: methods are looked up on
     *                  their declaring classes)
     */
    AgentToolRegistry(List<Object> toolBeans) {
        for (Object bean : toolBeans) {
            for (Method method : toolClass(bean).getDeclaredMethods()) {
                if (method.isAnnotationPresent(Tool.class)) {
                    ToolSpecification spec = ToolSpecifications.toolSpecificationFrom(method);
                    if (tools.putIfAbsent(spec.name(), new RegisteredTool(spec, bean, method)) != null) {
                        throw new IllegalStateException("Duplicate tool name " + spec.name());
                    }
                }
            }
        }
    }

    /** A CDI client proxy or interceptor subclass has no annotations; walk up to the class declaring the tools. */
    private static Class<?> toolClass(Object bean) {
        Class<?> type = bean.getClass();
        while (type.getSuperclass() != null
                && type.getSuperclass() != Object.class
                && java.util.Arrays.stream(type.getDeclaredMethods())
                        .noneMatch(m -> m.isAnnotationPresent(Tool.class))) {
            type = type.getSuperclass();
        }
        return type;
    }

    /** @return the names of all registered tools */
    public Set<String> toolNames() {
        return tools.keySet();
    }

    /**
     * Specifications of the named tools that exist, in the given order; unknown names are skipped (and logged).
     *
     * @param names tool names from the agent descriptor, may be {@code null}
     * @return the specifications to send to the model
     */
    public List<ToolSpecification> specificationsFor(List<String> names) {
        List<ToolSpecification> specs = new ArrayList<>();
        if (names == null) {
            return specs;
        }
        for (String name : names) {
            RegisteredTool tool = tools.get(name);
            if (tool == null) {
                LOG.debugf("Agent lists unknown tool %s; skipped", name);
            } else if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                specs.add(tool.spec());
            }
        }
        return specs;
    }

    /**
     * Executes one tool call. Never throws: unknown tools, bad arguments and tool failures come back as
     * {@code Error: ...} text for the model. Blocks; call it on a worker thread.
     *
     * @param request   the model's tool execution request
     * @param allowed   the tool names the calling agent may use
     * @param sessionId the session, passed to {@code @ToolMemoryId} parameters
     * @return the tool's result text
     */
    public String execute(ToolExecutionRequest request, Set<String> allowed, String sessionId) {
        return execute(request, allowed, sessionId, null);
    }

    /**
     * Executes one tool call, as {@link #execute(ToolExecutionRequest, Set, String)}, with the key its side effect is
     * made once for.
     *
     * @param toolCallKey the call's key ({@link #TOOL_CALL_KEY}), or {@code null}
     * @return the tool's result text
     */
    public String execute(ToolExecutionRequest request, Set<String> allowed, String sessionId, String toolCallKey) {
        RegisteredTool tool = tools.get(request.name());
        if (tool == null || !allowed.contains(request.name())) {
            return "Error: there is no tool named '" + request.name() + "'";
        }
        Object[] args;
        try {
            args = arguments(tool.method(), request.arguments(), sessionId, toolCallKey);
        } catch (IllegalArgumentException e) {
            return "Error: invalid arguments for " + request.name() + ": " + e.getMessage();
        }
        try {
            Object result = tool.method().invoke(tool.bean(), args);
            return result == null ? "Done." : result.toString();
        } catch (InvocationTargetException e) {
            LOG.warnf(e.getCause(), "Tool %s failed (session %s)", request.name(), sessionId);
            return "Error: the tool " + request.name() + " failed; try again later or tell the user";
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.warnf(e, "Tool %s could not be invoked (session %s)", request.name(), sessionId);
            return "Error: the tool " + request.name() + " failed; try again later or tell the user";
        }
    }

    private Object[] arguments(Method method, String argumentsJson, String sessionId, String toolCallKey) {
        JsonNode json;
        try {
            json = argumentsJson == null || argumentsJson.isBlank()
                    ? argumentMapper.createObjectNode()
                    : argumentMapper.readTree(argumentsJson);
        } catch (Exception e) {
            throw new IllegalArgumentException("arguments are not valid JSON");
        }
        Parameter[] params = method.getParameters();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            Parameter param = params[i];
            if (param.isAnnotationPresent(ToolMemoryId.class)) {
                args[i] = sessionId;
                continue;
            }
            if (param.getType() == InvocationParameters.class) {
                args[i] = toolCallKey == null
                        ? new InvocationParameters()
                        : InvocationParameters.from(TOOL_CALL_KEY, toolCallKey);
                continue;
            }
            P p = param.getAnnotation(P.class);
            String name = p != null && !p.name().isBlank() ? p.name() : param.getName();
            JsonNode value = json.get(name);
            if (value == null || value.isNull()) {
                if (param.getType().isPrimitive() || p == null || p.required()) {
                    throw new IllegalArgumentException("missing '" + name + "'");
                }
                args[i] = null;
                continue;
            }
            try {
                args[i] =
                        argumentMapper.convertValue(value, argumentMapper.constructType(param.getParameterizedType()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name + "' has the wrong type");
            }
        }
        return args;
    }

    private record RegisteredTool(ToolSpecification spec, Object bean, Method method) {}
}
