using System.Text.Json;
using System.Text.Json.Nodes;
using TattooDirectory.Core.Workflow;

namespace TattooDirectory.Backends.Local.Workflow.Asl;

/// <summary>
/// Loads an Amazon States Language definition and checks it before anything runs: the structure,
/// every transition (StartAt, Next, Default, Catch) landing on a state of the same scope, paths and
/// intrinsic functions this executor can evaluate, and every Task naming a registered handler.
/// Fields the executor does not implement are refused rather than ignored, so a definition never
/// means something different here than on Step Functions.
/// </summary>
internal static partial class AslParser
{
    /// <summary>The one Task resource the executor runs: Step Functions' optimised Lambda integration.</summary>
    public const string LambdaInvoke = "arn:aws:states:::lambda:invoke";

    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign", "Arguments", "Output", "Label",
        "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
        "ToleratedFailureCount", "ToleratedFailureCountPath", "QueryLanguage",
    };

    /// <exception cref="WorkflowDefinitionException">the definition has problems; all of them are listed.</exception>
    public static StateMachineDefinition Parse(string stateMachineName, string json, Func<string, bool> isRegisteredTask)
    {
        var problems = new List<string>();
        JsonNode? root = null;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            problems.Add($"$: not valid JSON ({e.Message}).");
        }

        var machine = problems.Count == 0 ? new Reader(problems, isRegisteredTask).ReadMachine(root, "$", topLevel: true) : null;
        return problems.Count == 0 && machine is not null ? machine : throw new WorkflowDefinitionException(stateMachineName, problems);
    }

    /// <summary>
    /// The logical name in a Lambda FunctionName: <c>${Name}</c> (a CDK definition substitution),
    /// a function ARN <c>arn:aws:lambda:…:function:Name[:qualifier]</c>, or a plain name.
    /// </summary>
    public static string? LogicalFunctionName(string functionName)
    {
        var name = functionName switch
        {
            ['$', '{', .. var inner, '}'] => inner,
            _ when functionName.StartsWith("arn:", StringComparison.Ordinal) => functionName.Split(':') is { Length: >= 7 } parts && parts[5] == "function" ? parts[6] : null,
            _ => functionName,
        };
        return name is { Length: > 0 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? name : null;
    }

    private sealed partial class Reader(List<string> problems, Func<string, bool> isRegisteredTask)
    {
        private readonly HashSet<string> _stateNames = new(StringComparer.Ordinal);

        public StateMachineDefinition? ReadMachine(JsonNode? node, string where, bool topLevel)
        {
            if (node is not JsonObject obj)
            {
                return Problem<StateMachineDefinition>(where, "must be an object with StartAt and States.");
            }

            // JSONPath is the default query language; JSONata would change what every field means.
            var jsonPath = IsString(obj["QueryLanguage"], "JSONPath") ? "QueryLanguage" : "StartAt";
            CheckFields(obj, where, topLevel ? ["StartAt", "States", "Comment", "Version", "TimeoutSeconds", jsonPath] : ["StartAt", "States", "Comment", "ProcessorConfig"]);
            if (!topLevel && obj["ProcessorConfig"] is { } config && (config is not JsonObject { Count: 1 } c || !IsString(c["Mode"], "INLINE")))
            {
                Add($"{where}.ProcessorConfig", "only { \"Mode\": \"INLINE\" } is supported by the local executor.");
            }

            var startAt = Text(obj, "StartAt", where, required: true);
            if (obj["States"] is not JsonObject { Count: > 0 } statesObject)
            {
                return Problem<StateMachineDefinition>($"{where}.States", "must be an object with at least one state.");
            }

            var states = new Dictionary<string, StateDefinition>(StringComparer.Ordinal);
            foreach (var (name, value) in statesObject)
            {
                var at = $"{where}.States.{name}";
                if (!_stateNames.Add(name) || name.Length is 0 or > 80)
                {
                    Add(at, "state names must be 1 – 80 characters and unique in the whole state machine.");
                }

                if (ReadState(name, value, at) is { } state)
                {
                    states[name] = state;
                }
            }

            if (startAt is not null && !statesObject.ContainsKey(startAt))
            {
                Add($"{where}.StartAt", $"'{startAt}' is not a state of this scope.");
            }

            foreach (var state in states.Values)
            {
                foreach (var target in state.Targets.Where(t => !statesObject.ContainsKey(t)).Distinct())
                {
                    Add($"{where}.States.{state.Name}", $"moves to '{target}', which is not a state of this scope.");
                }
            }

            var timeout = topLevel ? Integer(obj, "TimeoutSeconds", where, minimum: 1) : null;
            return startAt is null ? null : new StateMachineDefinition(startAt, states, timeout);
        }

        private StateDefinition? ReadState(string name, JsonNode? node, string where)
        {
            if (node is not JsonObject obj)
            {
                return Problem<StateDefinition>(where, "a state must be an object.");
            }

            return Text(obj, "Type", where, required: true) switch
            {
                "Pass" => ReadPass(name, obj, where),
                "Task" => ReadTask(name, obj, where),
                "Map" => ReadMap(name, obj, where),
                "Choice" => ReadChoice(name, obj, where),
                "Wait" => ReadWait(name, obj, where),
                "Succeed" => Check(obj, where, ["InputPath", "OutputPath"], new SucceedState(name) with { InputPath = Path(obj, "InputPath", where), OutputPath = Path(obj, "OutputPath", where) }),
                "Fail" => ReadFail(name, obj, where),
                null => null,
                var type => Problem<StateDefinition>($"{where}.Type", $"'{type}' is not a state type the local executor supports (Pass, Task, Map, Choice, Wait, Succeed, Fail)."),
            };
        }

        private PassState ReadPass(string name, JsonObject obj, string where) =>
            Check(obj, where, ["Next", "End", "InputPath", "OutputPath", "Result", "ResultPath", "Parameters"], new PassState(name)
            {
                Next = Flow(obj, where),
                InputPath = Path(obj, "InputPath", where),
                OutputPath = Path(obj, "OutputPath", where),
                ResultJson = obj.TryGetPropertyValue("Result", out var result) ? result?.ToJsonString() ?? "null" : null,
                Parameters = Template(obj, "Parameters", where),
                ResultPath = ResultPath(obj, "ResultPath", where),
            });

        private TaskState? ReadTask(string name, JsonObject obj, string where)
        {
            CheckFields(obj, where, ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Resource", "Parameters", "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath"]);
            var resource = Text(obj, "Resource", where, required: true);
            if (resource is not null && resource != LambdaInvoke)
            {
                Add($"{where}.Resource", $"must be '{LambdaInvoke}' with Parameters.FunctionName naming the handler.");
            }

            var function = FunctionName(obj["Parameters"], $"{where}.Parameters");
            var parameters = Template(obj, "Parameters", where);
            if (obj.ContainsKey("TimeoutSeconds") && obj.ContainsKey("TimeoutSecondsPath"))
            {
                Add(where, "TimeoutSeconds and TimeoutSecondsPath cannot both be given.");
            }

            var state = ReadWork(obj, where, new TaskState(name, function ?? "", parameters!)
            {
                TimeoutSeconds = Integer(obj, "TimeoutSeconds", where, minimum: 1),
                TimeoutSecondsPath = obj.ContainsKey("TimeoutSecondsPath") ? Path(obj, "TimeoutSecondsPath", where) : null,
            });
            return function is null || parameters is null ? null : state;
        }

        private string? FunctionName(JsonNode? parameters, string where)
        {
            if (parameters is not JsonObject obj)
            {
                return Problem<string>(where, "a Lambda invoke needs Parameters with FunctionName.");
            }

            foreach (var field in obj.Select(p => p.Key).Where(k => k is not ("FunctionName" or "Payload" or "Payload.$")))
            {
                Add($"{where}.{field}", "is not supported by the local executor (FunctionName and Payload are).");
            }

            var functionName = Text(obj, "FunctionName", where, required: true);
            var logical = functionName is null ? null : LogicalFunctionName(functionName);
            if (functionName is not null && logical is null)
            {
                return Problem<string>($"{where}.FunctionName", $"'{functionName}' is not a function name, a Lambda function ARN or a ${{Name}} substitution.");
            }

            return logical is not null && !isRegisteredTask(logical)
                ? Problem<string>($"{where}.FunctionName", $"'{logical}' names no registered task handler.")
                : logical;
        }

        private MapState? ReadMap(string name, JsonObject obj, string where)
        {
            CheckFields(obj, where, ["Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "ItemProcessor", "Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector", "ResultPath", "Retry", "Catch"]);
            var processorField = Either(obj, "ItemProcessor", "Iterator", where);
            var selectorField = (obj.ContainsKey("Parameters") ? Either(obj, "ItemSelector", "Parameters", where) : null) ?? "ItemSelector";
            if (obj.ContainsKey("MaxConcurrency") && obj.ContainsKey("MaxConcurrencyPath"))
            {
                Add(where, "MaxConcurrency and MaxConcurrencyPath cannot both be given.");
            }

            var processor = processorField is null ? null : ReadMachine(obj[processorField], $"{where}.{processorField}", topLevel: false);
            var state = ReadWork(obj, where, new MapState(name, processor!)
            {
                ItemsPath = Path(obj, "ItemsPath", where) ?? ReferencePath.Root,
                ItemSelector = Template(obj, selectorField, where),
                MaxConcurrency = Integer(obj, "MaxConcurrency", where, minimum: 0) ?? 0,
                MaxConcurrencyPath = obj.ContainsKey("MaxConcurrencyPath") ? Path(obj, "MaxConcurrencyPath", where) : null,
            });
            return processor is null ? null : state;
        }

        private T ReadWork<T>(JsonObject obj, string where, T state) where T : WorkState => state with
        {
            Next = Flow(obj, where),
            InputPath = Path(obj, "InputPath", where),
            OutputPath = Path(obj, "OutputPath", where),
            ResultSelector = Template(obj, "ResultSelector", where),
            ResultPath = ResultPath(obj, "ResultPath", where),
            Retry = Items(obj, "Retry", where, ReadRetrier),
            Catch = Items(obj, "Catch", where, ReadCatcher),
        };

        private ChoiceState? ReadChoice(string name, JsonObject obj, string where)
        {
            CheckFields(obj, where, ["Type", "Comment", "InputPath", "OutputPath", "Choices", "Default"]);
            if (obj["Choices"] is not JsonArray { Count: > 0 } rules)
            {
                return Problem<ChoiceState>($"{where}.Choices", "must be a non-empty array of rules.");
            }

            var choices = new List<Choice>();
            for (var i = 0; i < rules.Count; i++)
            {
                var at = $"{where}.Choices[{i}]";
                var rule = ChoiceRule.Compile(rules[i], at, topLevel: true, problems);
                var next = rules[i] is JsonObject r ? Text(r, "Next", at, required: true) : null;
                if (rule is not null && next is not null)
                {
                    choices.Add(new Choice(rule, next));
                }
            }

            return new ChoiceState(name, choices, Text(obj, "Default", where, required: false))
            {
                InputPath = Path(obj, "InputPath", where),
                OutputPath = Path(obj, "OutputPath", where),
            };
        }

        private WaitState ReadWait(string name, JsonObject obj, string where)
        {
            string[] ways = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"];
            if (ways.Count(obj.ContainsKey) != 1)
            {
                Add(where, "a Wait state needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath.");
            }

            var timestamp = Text(obj, "Timestamp", where, required: false);
            DateTimeOffset? until = null;
            if (timestamp is not null && Timestamps.TryParse(timestamp, out var parsed))
            {
                until = parsed;
            }
            else if (timestamp is not null)
            {
                Add($"{where}.Timestamp", "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z.");
            }

            return Check(obj, where, ["Next", "End", "InputPath", "OutputPath", .. ways], new WaitState(name)
            {
                Next = Flow(obj, where),
                InputPath = Path(obj, "InputPath", where),
                OutputPath = Path(obj, "OutputPath", where),
                Seconds = Integer(obj, "Seconds", where, minimum: 0),
                SecondsPath = obj.ContainsKey("SecondsPath") ? Path(obj, "SecondsPath", where) : null,
                Timestamp = until,
                TimestampPath = obj.ContainsKey("TimestampPath") ? Path(obj, "TimestampPath", where) : null,
            });
        }

        private FailState ReadFail(string name, JsonObject obj, string where)
        {
            foreach (var (field, path) in new[] { ("Error", "ErrorPath"), ("Cause", "CausePath") }.Where(p => obj.ContainsKey(p.Item1) && obj.ContainsKey(p.Item2)))
            {
                Add(where, $"{field} and {path} cannot both be given.");
            }

            return Check(obj, where, ["Error", "ErrorPath", "Cause", "CausePath"], new FailState(name)
            {
                Error = Text(obj, "Error", where, required: false),
                ErrorPath = obj.ContainsKey("ErrorPath") ? Path(obj, "ErrorPath", where) : null,
                Cause = Text(obj, "Cause", where, required: false),
                CausePath = obj.ContainsKey("CausePath") ? Path(obj, "CausePath", where) : null,
            });
        }
    }
}
