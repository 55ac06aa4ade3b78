using System.Globalization;
using System.Text;
using Bogus;
using FsCheck;
using FsCheck.Fluent;
using NJsonSchema;
using NSwag;

namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

/// <summary>
/// FsCheck generators of requests for every operation of the OpenAPI document. Each parameter
/// and body field gets, by weight, a valid value (from its schema, or for the service's own
/// fields from the live ids of <see cref="FuzzPool"/>), a boundary value, a value of the wrong
/// type, nasty text (injections, unicode, control characters), odd escapes in keys and strings
/// (lone surrogate halves, noncharacters, NUL, needless escapes), a huge value, or nothing; the
/// body as a whole is sometimes replaced by broken JSON, the wrong shape, a huge or deep
/// document, invalid UTF-8 or another content type. Every value is labelled with its kind so
/// the figures can say what was tried.
/// </summary>
public sealed class RequestGenerator
{
    private static readonly string[] Statuses = ["QUEUED", "RUNNING", "REQUEST_CANCEL", "COMPLETED", "FAILED", "CANCELLED"];

    private static readonly string[] RawEncodings =
        ["%ZZ", "%", "%ED%A0%80", "%FF%FE", "%C0%AF", "%00", "a%26nsfilter%3Dx", "%2e%2e", "%u0041", "+", "%2B", "%0D%0AX-Injected:%201"];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
        "application/json; charset=latin1", "application/json; charset=nonsense", "application/merge-patch+json",
        "APPLICATION/JSON", "multipart/form-data; boundary=x", "none",
    ];

    private static readonly string[] BoundaryAlphabets = ["a", "é", "😀", "ab c", "\u0301"];

    private readonly IReadOnlyList<ApiOperation> _operations;
    private readonly FuzzPool _pool;

    public RequestGenerator(IReadOnlyList<ApiOperation> operations, FuzzPool pool)
    {
        _operations = operations;
        _pool = pool;
    }

    public Gen<FuzzRequest> Requests() => Gen.Elements(_operations.ToArray()).SelectMany(For);

    public Arbitrary<FuzzRequest> Arbitrary() => Arb.From(Requests());

    private sealed record Subject(string Id, string IdKind, string OrchestratorId);

    private readonly record struct Part(ApiParameter Parameter, FuzzValue Value);

    /// <summary>
    /// A third of the cases are positive (every value valid, as Schemathesis's positive phase) so
    /// that successes, and their schemas, get checked too; one in ten is valid but for odd text in
    /// the body (odd keys in the parameters, odd escapes in some strings), so that such text
    /// reaches the handlers instead of being refused with another field; the rest are negative.
    /// </summary>
    private Gen<FuzzRequest> For(ApiOperation operation) =>
        Gen.Frequency((33, Gen.Constant(Phase.Positive)), (57, Gen.Constant(Phase.Negative)), (10, Gen.Constant(Phase.OddText)))
            .SelectMany(phase => SubjectFor(operation, phase == Phase.Negative)
                .SelectMany(subject => Assemble(operation, subject, phase == Phase.Negative, phase == Phase.OddText)));

    private enum Phase
    {
        Positive,
        Negative,
        OddText,
    }

    // Subjects: the id in the path, and the orchestrator a create body refers to.

    private Gen<Subject> SubjectFor(ApiOperation operation, bool mutate)
    {
        Gen<(string, string)> id;
        if (!operation.HasPathId)
        {
            id = Gen.Constant((string.Empty, "none"));
        }
        else if (operation.IsScheduleOperation)
        {
            id = !mutate
                ? Pick(() => _pool.ScheduleIds).Select(i => (i, "schedule"))
                : Gen.Frequency(
                    (60, Pick(() => _pool.ScheduleIds).Select(i => (i, "schedule"))),
                    (10, Pick(() => _pool.OrchestratorIds).Select(i => (i, "id:wrong-kind"))),
                    (10, Pick(() => _pool.OtherNamespaceIds).Select(i => (i, "id:other-namespace"))),
                    (10, Pick(() => _pool.DeletedIds).Select(i => (i, "id:deleted"))),
                    (10, RandomGuid.Select(i => (i, "id:unknown"))));
        }
        else if (!mutate)
        {
            id = operation.IsRunOperation
                ? Gen.Frequency(
                    (60, Pick(() => _pool.LiveRunIds).Select(i => (i, "live-run"))),
                    (40, Pick(() => _pool.FinishedRunIds).Select(i => (i, "finished-run"))))
                : Pick(() => _pool.OrchestratorIds).Select(i => (i, "orchestrator"));
        }
        else if (operation.IsRunOperation)
        {
            id = Gen.Frequency(
                (40, Pick(() => _pool.LiveRunIds).Select(i => (i, "live-run"))),
                (25, Pick(() => _pool.FinishedRunIds).Select(i => (i, "finished-run"))),
                (8, Pick(() => _pool.OrchestratorIds).Select(i => (i, "id:wrong-kind"))),
                (8, Pick(() => _pool.OtherNamespaceIds).Select(i => (i, "id:other-namespace"))),
                (9, Pick(() => _pool.DeletedIds).Select(i => (i, "id:deleted"))),
                (10, RandomGuid.Select(i => (i, "id:unknown"))));
        }
        else
        {
            id = Gen.Frequency(
                (60, Pick(() => _pool.OrchestratorIds).Select(i => (i, "orchestrator"))),
                (10, Pick(() => _pool.LiveRunIds).Select(i => (i, "id:wrong-kind"))),
                (10, Pick(() => _pool.OtherNamespaceIds).Select(i => (i, "id:other-namespace"))),
                (10, Pick(() => _pool.DeletedIds).Select(i => (i, "id:deleted"))),
                (10, RandomGuid.Select(i => (i, "id:unknown"))));
        }

        return id.SelectMany(i => Pick(() => _pool.OrchestratorIds).Select(o => new Subject(i.Item1, i.Item2, o)));
    }

    private Gen<FuzzRequest> Assemble(ApiOperation operation, Subject subject, bool mutate, bool oddText)
    {
        var parts = Gen.CollectToArray(operation.Parameters.Select(p => ParameterValue(operation, p, subject, mutate).Select(v => new Part(p, v))));
        var body = operation.BodySchema is { } schema
            ? Body(schema, subject, mutate, oddText)
            : !mutate ? Gen.Constant(((byte[]?)null, (string?)null, string.Empty))
            : Gen.Frequency(
                (95, Gen.Constant(((byte[]?)null, (string?)null, string.Empty))),
                (5, Gen.Constant(((byte[]?)Encoding.UTF8.GetBytes("{\"x\":1}"), (string?)"application/json", "unexpected-body"))));
        var auth = !mutate ? Gen.Constant(FuzzAuth.Valid) : Gen.Frequency(
            (91, Gen.Constant(FuzzAuth.Valid)),
            (3, Gen.Constant(FuzzAuth.None)),
            (1, Gen.Constant(FuzzAuth.Garbage)),
            (2, Gen.Constant(FuzzAuth.Expired)),
            (1, Gen.Constant(FuzzAuth.WrongKey)),
            (2, Gen.Constant(FuzzAuth.OtherNamespaceOnly)));
        var query = !mutate ? Gen.Constant(string.Empty) : Gen.Frequency((94, Gen.Constant(string.Empty)), (3, Gen.Constant("repeated-param")), (3, Gen.Constant("unknown-param")));

        return parts.SelectMany(p => body.SelectMany(b => auth.SelectMany(a => query.Select(q => Build(operation, subject, p, b, a, q)))));
    }

    private FuzzRequest Build(ApiOperation operation, Subject subject, Part[] parts, (byte[]? Body, string? ContentType, string Kind) body, FuzzAuth auth, string queryTwist)
    {
        var kinds = new List<string>();
        if (subject.IdKind.StartsWith("id:", StringComparison.Ordinal))
        {
            kinds.Add(subject.IdKind);
        }

        var path = operation.PathTemplate;
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (parameter, value) in parts)
        {
            kinds.AddRange(SplitKinds(value.Kind));
            if (!value.IsPresent)
            {
                continue;
            }

            switch (parameter.Kind)
            {
                case OpenApiParameterKind.Path:
                    path = path.Replace("{" + parameter.Name + "}", EncodePath(value), StringComparison.Ordinal);
                    break;
                case OpenApiParameterKind.Header:
                    headers.Add(new(parameter.Name, HeaderSafe(value.Text!)));
                    break;
                default:
                    query.Add(new(parameter.Name, Encode(value)));
                    break;
            }
        }

        // Following a live run's log streams until the run ends, which it never does with the
        // worker off: follow only runs that have ended (or do not exist). The other namespace's
        // ids include its live runs, which a request naming that namespace may follow.
        if (operation.OperationId == "OrchRuns_GetLogs" && subject.IdKind is "live-run" or "id:other-namespace"
            && query.Any(q => q.Key == "follow" && bool.TryParse(Uri.UnescapeDataString(q.Value), out var follow) && follow))
        {
            var replacement = _pool.FinishedRunIds.Count > 0 ? _pool.FinishedRunIds[0] : Guid.Empty.ToString();
            path = operation.PathTemplate.Replace("{id}", replacement, StringComparison.Ordinal);
        }

        if (queryTwist == "repeated-param" && query.Count > 0)
        {
            query.Add(query[0]);
            kinds.Add(queryTwist);
        }
        else if (queryTwist == "unknown-param")
        {
            query.Add(new("zz_unknown", "1"));
            kinds.Add(queryTwist);
        }

        kinds.AddRange(SplitKinds(body.Kind));
        if (auth != FuzzAuth.Valid)
        {
            kinds.Add("auth:" + auth.ToString().ToLowerInvariant());
        }

        return new FuzzRequest(operation, path, query, headers, body.Body, body.ContentType, auth, kinds);
    }

    // Parameters (path, query, header): text, URL-encoded at assembly unless raw.

    private Gen<FuzzValue> ParameterValue(ApiOperation operation, ApiParameter parameter, Subject subject, bool mutate)
    {
        var schema = parameter.Schema.ActualSchema;
        var valid = ParameterHint(operation, parameter.Name, subject, mutate) ?? ValidText(schema);
        var isPath = parameter.Kind == OpenApiParameterKind.Path;
        if (!mutate)
        {
            return parameter.Required ? valid : Gen.Frequency((60, valid), (40, Gen.Constant(new FuzzValue(null, string.Empty))));
        }

        return Gen.Frequency(
            (60, valid),
            (12, BoundaryText(schema)),
            (7, WrongTypeText(schema)),
            (10, Gen.Elements(FuzzValues.NastyStrings).Select(s => new FuzzValue(s, "nasty"))),
            (2, HugeText()),
            (3, Gen.Elements(RawEncodings).Select(s => new FuzzValue(s, "raw-encoding"))),
            (isPath ? 0 : parameter.Required ? 4 : 15, Gen.Constant(FuzzValue.Missing)));
    }

    private Gen<FuzzValue>? ParameterHint(ApiOperation operation, string name, Subject subject, bool mutate) => name switch
    {
        "nsfilter" when !mutate => Gen.Constant(new FuzzValue(_pool.Namespace, string.Empty)),
        "nsfilter" => Gen.Frequency(
            (85, Gen.Constant(new FuzzValue(_pool.Namespace, string.Empty))),
            (5, Gen.Constant(new FuzzValue(_pool.OtherNamespace, "ns:other"))),
            (5, Gen.Choose(0, 999).Select(i => new FuzzValue("fz_empty_" + i.ToString(CultureInfo.InvariantCulture), "ns:empty"))),
            (5, Gen.Constant(new FuzzValue(FuzzValues.Repeat("N", 64), "boundary")))),
        "id" when !mutate => Gen.Constant(new FuzzValue(subject.Id, string.Empty)),
        "id" => Gen.Frequency(
            (85, Gen.Constant(new FuzzValue(subject.Id, string.Empty))),
            (15, Gen.Elements("B", "N", "P", "upper").Select(f => new FuzzValue(GuidSpelling(subject.Id, f), "guid-spelling")))),
        // A secret's name: mostly one that exists, else a new one (PUT creates it); its mutations come from the caller.
        "name" => Gen.Frequency(
            (70, Pick(() => _pool.SecretNames).Select(n => new FuzzValue(n, string.Empty))),
            (30, Gen.Choose(0, 9999).Select(i => new FuzzValue("fz-secret." + i.ToString(CultureInfo.InvariantCulture), "name:new")))),
        "_pageSize" => Gen.Choose(1, 50).Select(Valid),
        "_offset" => Gen.Choose(0, 30).Select(Valid),
        "tail" => Gen.Choose(1, 200).Select(Valid),
        "fromLine" => Gen.Choose(0, 20).Select(Valid),
        "follow" => Gen.Frequency((90, Gen.Constant(new FuzzValue("false", string.Empty))), (10, Gen.Constant(new FuzzValue("true", string.Empty)))),
        "_status" => Gen.SubListOf(Statuses).Select(s => new FuzzValue(string.Join(",", s), string.Empty)),
        "startDate" or "endDate" => DateText(),
        "fromStep" => Gen.Elements("failed", "first", "FIRST", "Failed").Select(s => new FuzzValue(s, string.Empty)),
        "Idempotency-Key" => Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(33, 126), n))
            .Select(chars => new FuzzValue(new string(chars.Select(c => (char)c).ToArray()), string.Empty)),
        _ => null,
    };

    private static FuzzValue Valid(int value) => new(value.ToString(CultureInfo.InvariantCulture), string.Empty);

    private static Gen<FuzzValue> DateText()
    {
        var epoch = Gen.Choose(1_577_836_800, 1_893_456_000).Select(s => ((long)s * 1000).ToString(CultureInfo.InvariantCulture));
        var day = Gen.Choose(0, 3650).Select(d => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(d));
        return Gen.OneOf(
            epoch,
            day.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            day.Select(d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            day.Select(d => d.ToString("yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture) + "+05:30"))
            .Select(s => new FuzzValue(s, string.Empty));
    }

    private static Gen<FuzzValue> ValidText(JsonSchema schema)
    {
        if (schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number))
        {
            return Gen.Choose(0, 100).Select(Valid);
        }

        if (schema.Type.HasFlag(JsonObjectType.Boolean))
        {
            return Gen.Elements("true", "false").Select(s => new FuzzValue(s, string.Empty));
        }

        return Words().Select(s => new FuzzValue(s, string.Empty));
    }

    private static Gen<FuzzValue> BoundaryText(JsonSchema schema)
    {
        if (schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number))
        {
            return Gen.OneOf(
                    Gen.Elements(FuzzValues.BoundaryIntegers).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                    Gen.Elements("-0", "+1", "01", " 1", "1 ", "1.0", "1e3", "0x10", "١", "99999999999999999999"))
                .Select(s => new FuzzValue(s, "boundary"));
        }

        if (schema.Type.HasFlag(JsonObjectType.Boolean))
        {
            return Gen.Elements("True", "FALSE", "1", "0", "yes", string.Empty, " true").Select(s => new FuzzValue(s, "boundary"));
        }

        return BoundaryString().Select(s => new FuzzValue(s, "boundary"));
    }

    private static Gen<FuzzValue> WrongTypeText(JsonSchema schema)
    {
        var texts = schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number) || schema.Type.HasFlag(JsonObjectType.Boolean)
            ? new[] { "abc", "1.5", "true", "null", "[]", "{}", "NaN", "Infinity" }
            : ["123", "-1", "true", "null", "[]", "{}", "1.5e300"];
        return Gen.Elements(texts).Select(s => new FuzzValue(s, "wrong-type"));
    }

    private static Gen<FuzzValue> HugeText() =>
        Gen.Elements(5_000, 20_000, 70_000).SelectMany(n => Gen.Elements(BoundaryAlphabets).Select(a => new FuzzValue(FuzzValues.Repeat(a, n), "huge")));

    private static Gen<string> BoundaryString() =>
        Gen.Elements(FuzzValues.BoundaryLengths.Where(l => l <= 10_000).ToArray()).SelectMany(n => Gen.Elements(BoundaryAlphabets).Select(a => FuzzValues.Repeat(a, n)));

    // Bodies: JSON text built from the schema, so broken fragments can be part of it.

    private Gen<(byte[]? Body, string? ContentType, string Kind)> Body(JsonSchema schema, Subject subject, bool mutate, bool oddText)
    {
        var json = ObjectJson(schema.ActualSchema, "$", subject, depth: 0, mutate, oddText);
        if (!mutate)
        {
            return json.Select(v => ((byte[]?)Encoding.UTF8.GetBytes(v.Text ?? "{}"), (string?)"application/json", v.Kind));
        }

        var contentType = Gen.Frequency(
            (90, Gen.Constant(("application/json", string.Empty))),
            (10, Gen.Elements(ContentTypes).Select(c => (c, "content-type"))));
        var document = Gen.Frequency(
            (88, json.Select(v => (Encoding.UTF8.GetBytes(v.Text ?? "{}"), v.Kind))),
            (12, WholeBodyMutation()));
        return document.SelectMany(d => contentType.Select(c =>
            ((byte[]?)d.Item1, c.Item1 == "none" ? null : (string?)c.Item1, JoinKinds(d.Item2, c.Item2))));
    }

    private static Gen<(byte[], string)> WholeBodyMutation()
    {
        var texts = new (string Text, string Kind)[]
        {
            (string.Empty, "body-empty"), (" ", "body-empty"),
            ("{", "body-not-json"), ("{\"a\":", "body-not-json"), ("nul", "body-not-json"), ("[1,]", "body-not-json"),
            ("{/*c*/}", "body-not-json"), ("{\"a\":1,}", "body-not-json"), ("{'a':1}", "body-not-json"), ("\u0000", "body-not-json"),
            ("null", "body-wrong-shape"), ("[]", "body-wrong-shape"), ("123", "body-wrong-shape"), ("\"x\"", "body-wrong-shape"),
            ("true", "body-wrong-shape"), ("[{}]", "body-wrong-shape"),
            (FuzzValues.DeepJson(65), "body-deep"), (FuzzValues.DeepJson(5000), "body-deep"),
            (string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200), "body-deep"),
            ("{\"orchestratorId\":\"a\",\"orchestratorId\":\"b\",\"_name\":\"x\",\"_name\":\"y\"}", "body-duplicate-keys"),
        };
        var bytes = texts.Select(t => (Encoding.UTF8.GetBytes(t.Text), t.Kind)).ToList();
        bytes.Add(([0x7B, 0x22, 0x5F, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0xC0, 0xAF, 0x22, 0x7D], "body-invalid-utf8"));
        bytes.Add(([0xEF, 0xBB, 0xBF, 0x7B, 0x7D], "body-bom"));
        bytes.Add((Encoding.Unicode.GetBytes("{\"id\":\"x\"}"), "body-utf16"));
        bytes.Add((Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', (1024 * 1024) + 100) + "\"}"), "body-huge"));
        return Gen.Elements(bytes.ToArray());
    }

    private Gen<FuzzValue> JsonValue(JsonSchema schema, string path, Subject subject, int depth, bool mutate, bool oddText = false)
    {
        var valid = (oddText ? OddTextHint(path) : null) ?? BodyHint(path, subject, mutate) ?? ValidJson(schema, path, subject, depth, mutate, oddText);
        if (depth > 3 || !mutate)
        {
            return valid;
        }

        // Escapes as a client writes them: in the keys of parameters at any depth, in bound strings.
        var odd = path is "$.steps[]._params" or "$._actualparams[].params" ? OddKeyObject()
            : schema.Type.HasFlag(JsonObjectType.String) ? OddString()
            : null;
        return Gen.Frequency(
            (70, valid),
            (8, BoundaryJson(schema, path, subject, depth)),
            (8, Gen.Elements(FuzzValues.WrongTypeJson).Select(j => new FuzzValue(j, "wrong-type"))),
            (7, Gen.Elements(FuzzValues.NastyStrings).Select(s => new FuzzValue(FuzzValues.JsonString(s), "nasty"))),
            (4, Gen.Constant(new FuzzValue("null", "null"))),
            (3, HugeText().Select(v => new FuzzValue(FuzzValues.JsonString(v.Text!), "huge"))),
            (odd is null ? 0 : 6, odd ?? valid));
    }

    /// <summary>A parameters object with an odd key (and an odd, plain or null value), 0 to 3 levels down.</summary>
    private static Gen<FuzzValue> OddKeyObject()
    {
        var values = FuzzValues.OddEscapes.Select(e => "\"" + e + "\"").Concat(["1", "null", "{}"]).ToArray();
        return Gen.Elements(FuzzValues.OddEscapes).SelectMany(key => Gen.Elements(values).SelectMany(value => Gen.Choose(0, 3).Select(depth =>
            new FuzzValue(FuzzValues.Nest("{\"" + key + "\":" + value + "}", depth), "odd-key"))));
    }

    /// <summary>In the odd-text phase: odd keys in every parameters object, odd escapes in a fifth of the free-text fields.</summary>
    private static Gen<FuzzValue>? OddTextHint(string path) => path switch
    {
        "$.steps[]._params" or "$._actualparams[].params" => OddKeyObject(),
        "$._name" or "$.steps[]._name" or "$._description" or "$._usertype" =>
            Gen.Frequency((80, Words().Select(w => Json(w, string.Empty))), (20, OddString())),
        _ => null,
    };

    private static Gen<FuzzValue> OddString() =>
        Gen.Elements(FuzzValues.OddEscapes).Select(e => new FuzzValue("\"" + e + "\"", "odd-escape"));

    private Gen<FuzzValue> ValidJson(JsonSchema schema, string path, Subject subject, int depth, bool mutate, bool oddText = false)
    {
        if (schema.Type.HasFlag(JsonObjectType.Object) && schema.ActualProperties.Count > 0)
        {
            return ObjectJson(schema, path, subject, depth, mutate, oddText);
        }

        if (schema.Type.HasFlag(JsonObjectType.Array) && schema.Item is { } item)
        {
            var count = path switch
            {
                "$.steps" => Gen.Choose(1, 3),
                _ => Gen.Choose(0, 2),
            };
            return count.SelectMany(n => Gen.CollectToArray(Enumerable.Repeat(0, n).Select(_ => JsonValue(item.ActualSchema, path + "[]", subject, depth + 1, mutate, oddText))))
                .Select(items => new FuzzValue("[" + string.Join(",", items.Select(i => i.Text ?? "null")) + "]", JoinKinds(items.Select(i => i.Kind).ToArray())));
        }

        if (schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number))
        {
            return Gen.Choose(0, 10).Select(i => new FuzzValue(i.ToString(CultureInfo.InvariantCulture), string.Empty));
        }

        if (schema.Type.HasFlag(JsonObjectType.Boolean))
        {
            return Gen.Elements("true", "false").Select(s => new FuzzValue(s, string.Empty));
        }

        if (schema.Type.HasFlag(JsonObjectType.String))
        {
            return schema.Format is "guid" or "uuid"
                ? RandomGuid.Select(g => new FuzzValue(FuzzValues.JsonString(g), string.Empty))
                : Words().Select(w => new FuzzValue(FuzzValues.JsonString(w), string.Empty));
        }

        return ParametersObject();
    }

    private Gen<FuzzValue> ObjectJson(JsonSchema schema, string path, Subject subject, int depth, bool mutate, bool oddText = false)
    {
        var properties = schema.ActualProperties.ToList();
        var fields = Gen.CollectToArray(properties.Select(p =>
            (mutate
                ? Gen.Frequency(
                    (88, JsonValue(p.Value.ActualSchema, path + "." + p.Key, subject, depth + 1, mutate)),
                    (12, Gen.Constant(FuzzValue.Missing)))
                : JsonValue(p.Value.ActualSchema, path + "." + p.Key, subject, depth + 1, mutate, oddText))
            .Select(v => (Name: p.Key, Value: v))));
        var twist = !mutate ? Gen.Constant((Kind: string.Empty, Key: string.Empty)) : Gen.Frequency(
            (90, Gen.Constant((Kind: string.Empty, Key: string.Empty))),
            (5, Gen.Constant((Kind: "case-variant", Key: string.Empty))),
            (5, Gen.Constant((Kind: "unknown-field", Key: string.Empty))),
            (4, Gen.Elements(FuzzValues.OddEscapes).Select(k => (Kind: "odd-key", Key: k))));
        return fields.SelectMany(f => twist.Select(t =>
        {
            var members = f.Where(x => x.Value.IsPresent)
                .Select(x => FuzzValues.JsonString(t.Kind == "case-variant" ? x.Name.ToUpperInvariant() : x.Name) + ":" + x.Value.Text)
                .ToList();
            if (t.Kind == "unknown-field")
            {
                members.Add("\"zz_unknown\":{\"a\":[1,\"b\",null]}");
            }
            else if (t.Kind == "odd-key")
            {
                // An unknown member whose name is an odd escape, read before the known ones.
                members.Insert(0, "\"" + t.Key + "\":1");
            }

            return new FuzzValue("{" + string.Join(",", members) + "}", JoinKinds([.. f.Select(x => x.Value.Kind), t.Kind]));
        }));
    }

    private Gen<FuzzValue> BoundaryJson(JsonSchema schema, string path, Subject subject, int depth)
    {
        if (schema.Type.HasFlag(JsonObjectType.Array) && schema.Item is { } item)
        {
            var valid = BodyHint(path + "[]", subject, mutate: false) ?? ValidJson(item.ActualSchema, path + "[]", subject, depth + 1, mutate: false);
            return Gen.Elements(0, 100, 101).SelectMany(n => Gen.CollectToArray(Enumerable.Repeat(valid, n)))
                .Select(items => new FuzzValue("[" + string.Join(",", items.Select(i => i.Text ?? "null")) + "]", "boundary"));
        }

        if (schema.Type.HasFlag(JsonObjectType.Integer) || schema.Type.HasFlag(JsonObjectType.Number))
        {
            return Gen.Elements(FuzzValues.BoundaryIntegers).Select(i => new FuzzValue(i.ToString(CultureInfo.InvariantCulture), "boundary"));
        }

        if (schema.Type.HasFlag(JsonObjectType.String))
        {
            return BoundaryString().Select(s => new FuzzValue(FuzzValues.JsonString(s), "boundary"));
        }

        // Objects and untyped values (parameters): deep, wide, repeated keys, odd numbers.
        var shapes = Gen.Elements(
                FuzzValues.DeepJson(63), FuzzValues.DeepJson(64), FuzzValues.DeepJson(65), FuzzValues.DeepJson(300),
                string.Concat(Enumerable.Repeat("{\"a\":", 70)) + "1" + new string('}', 70),
                "{" + string.Join(",", Enumerable.Range(0, 2000).Select(i => $"\"k{i}\":{i}")) + "}",
                "{\"a\":1,\"a\":2}", "{\"a\":1e400}", "{\"\\ud800\":1}", "{\"a\":\"\\udc00\"}", "{\"\":\"\"}", "{\"a\":-0.0}")
            .Select(j => new FuzzValue(j, "boundary"));

        // At Runs:MaxParamsBytes (64 KiB) and one byte over, and non-ASCII that grows when stored escaped.
        var atTheParamsLimit = Gen.Elements(
                ParamsOfBytes(FuzzValues.MaxParamsBytes), ParamsOfBytes(FuzzValues.MaxParamsBytes + 1),
                "{\"pad\":\"" + FuzzValues.Repeat("é", 20_000) + "\"}")
            .Select(j => new FuzzValue(j, "params-limit"));
        return Gen.Frequency((80, shapes), (20, atTheParamsLimit));
    }

    /// <summary>A parameters object of exactly <paramref name="bytes"/> bytes of compact JSON.</summary>
    private static string ParamsOfBytes(int bytes) => "{\"pad\":\"" + new string('x', bytes - "{\"pad\":\"\"}".Length) + "\"}";

    private Gen<FuzzValue>? BodyHint(string path, Subject subject, bool mutate) => path switch
    {
        "$._cron" when !mutate => Gen.Elements("0 * * * *", "*/15 * * * *", "30 2 * * *", "0 0 * * * *").Select(c => Json(c, string.Empty)),
        "$._cron" => Gen.Elements("0 * * * *", "* * * * * *", "61 * * * *", "0 0 30 2 *", "@hourly", "* * *", "0 0 L * *", "0 0 ? * MON#5").Select(c => Json(c, "cron:odd")),
        "$._timezone" when !mutate => Gen.Elements("UTC", "Europe/Berlin", "America/New_York").Select(z => Json(z, string.Empty)),
        "$._timezone" => Gen.Elements("UTC", "Europe/Berlin", "../../etc/passwd", "Mars/Base", "/etc/localtime", "Etc/GMT+5", "utc").Select(z => Json(z, "zone:odd")),
        "$._overlap" when !mutate => Gen.Elements("skip", "queue", "cancel-previous").Select(o => Json(o, string.Empty)),
        "$._catchup" when !mutate => Gen.Elements("none", "last", "all").Select(c => Json(c, string.Empty)),
        "$._startat" or "$._endat" when !mutate => Gen.Constant(FuzzValue.Missing),
        "$.orchestratorId" when !mutate => Gen.Constant(Json(subject.OrchestratorId, string.Empty)),
        "$._actualparams[].sequence_type_id" when !mutate =>
            Pick(() => _pool.StepIds.TryGetValue(subject.OrchestratorId, out var steps) ? steps : []).Select(i => Json(i, string.Empty)),
        "$.id" when !mutate => Gen.Constant(Json(subject.Id.Length > 0 ? subject.Id : subject.OrchestratorId, string.Empty)),
        "$.steps[].id" when !mutate => subject.Id.Length == 0
            ? Gen.Constant(FuzzValue.Missing)
            : Gen.Frequency(
                (50, Gen.Constant(FuzzValue.Missing)),
                (50, Pick(() => _pool.StepIds.TryGetValue(subject.Id, out var steps) ? steps : []).Select(i => Json(i, string.Empty)))),
        "$.steps[]._compid" when !mutate => Gen.Constant(Json(FuzzValues.TestConnectorComponentId, string.Empty)),
        "$.orchestratorId" => Gen.Frequency(
            (80, Gen.Constant(Json(subject.OrchestratorId, string.Empty))),
            (6, Pick(() => _pool.OtherNamespaceIds).Select(i => Json(i, "id:other-namespace"))),
            (7, Pick(() => _pool.DeletedIds).Select(i => Json(i, "id:deleted"))),
            (7, RandomGuid.Select(i => Json(i, "id:unknown")))),
        "$._actualparams[].sequence_type_id" => Gen.Frequency(
            (80, Pick(() => _pool.StepIds.TryGetValue(subject.OrchestratorId, out var steps) ? steps : []).Select(i => Json(i, string.Empty))),
            (20, RandomGuid.Select(i => Json(i, "id:unknown")))),
        "$.id" => Gen.Frequency(
            (85, Gen.Constant(Json(subject.Id.Length > 0 ? subject.Id : subject.OrchestratorId, string.Empty))),
            (15, RandomGuid.Select(i => Json(i, "id:unknown")))),
        "$.steps[].id" => Gen.Frequency(
            (60, Gen.Constant(FuzzValue.Missing)),
            (40, Pick(() => _pool.StepIds.TryGetValue(subject.Id, out var steps) ? steps : []).Select(i => Json(i, string.Empty)))),
        "$.steps[]._compid" => Gen.Frequency(
            (85, Gen.Constant(Json(FuzzValues.TestConnectorComponentId, string.Empty))),
            (15, RandomGuid.Select(i => Json(i, "id:unknown")))),
        "$.steps[]._sequenceno" => Gen.Choose(1, 5).Select(i => new FuzzValue(i.ToString(CultureInfo.InvariantCulture), string.Empty)),
        "$.steps[]._timeoutSeconds" => Optional(Gen.Choose(1, 86_400)),
        "$.steps[]._retries" => Optional(Gen.Choose(0, 10)),
        "$.steps[]._retryDelayMs" => Optional(Gen.Choose(0, 5_000)),
        "$.steps[]._params" or "$._actualparams[].params" => ParametersObject(),
        "$._value" => Gen.Frequency((80, Words().Select(w => Json(w, string.Empty))), (20, Gen.Constant(Json(FuzzValues.Repeat("v", 8192), "boundary")))),
        "$._name" or "$.steps[]._name" or "$._description" or "$._usertype" => Words().Select(w => Json(w, string.Empty)),
        _ => null,
    };

    private static Gen<FuzzValue> Optional(Gen<int> value) =>
        Gen.Frequency(
            (50, Gen.Constant(FuzzValue.Missing)),
            (50, value.Select(i => new FuzzValue(i.ToString(CultureInfo.InvariantCulture), string.Empty))));

    private static Gen<FuzzValue> ParametersObject() =>
        Gen.Elements(
                "{\"iterations\":0,\"intervalMs\":0}", "{}", "{\"_fileId\":\"cb8d42b2\"}", "{\"iterations\":1,\"intervalMs\":1,\"nested\":{\"a\":[1,2,{\"b\":null}]}}",
                "{\"unicode\":\"日本語 😀\",\"quote\":\"\\\"\",\"n\":-1.5e10}",
                "{\"headers\":{\"Authorization\":{\"$secret\":\"fz-token\"}},\"list\":[{\"$secret\":\"fz-other\"}]}",
                "{\"bad\":{\"$secret\":42}}", "{\"bad\":{\"$secret\":\"a\",\"more\":1}}", "{\"$secret\":\"whole\"}")
            .Select(j => new FuzzValue(j, string.Empty));

    private static FuzzValue Json(string text, string kind) => new(FuzzValues.JsonString(text), kind);

    // Small helpers.

    private static Gen<string> RandomGuid =>
        Gen.ArrayOf(Gen.Choose(0, 255), 16).Select(b => new Guid(b.Select(x => (byte)x).ToArray()).ToString("D"));

    private static Gen<string> Words() =>
        Gen.Choose(0, int.MaxValue).Select(seed => new Faker { Random = new Randomizer(seed) }.Commerce.ProductName());

    private static Gen<string> Pick(Func<IReadOnlyList<string>> list) =>
        Gen.Choose(0, int.MaxValue).Select(i =>
        {
            var items = list();
            return items.Count == 0 ? new Guid(i, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8).ToString("D") : items[i % items.Count];
        });

    private static string GuidSpelling(string id, string format) =>
        Guid.TryParse(id, out var guid) ? format == "upper" ? guid.ToString("D").ToUpperInvariant() : guid.ToString(format, CultureInfo.InvariantCulture) : id;

    private static string Encode(FuzzValue value) =>
        value.Kind.Contains("raw-encoding", StringComparison.Ordinal) ? value.Text! : Uri.EscapeDataString(value.Text!);

    /// <summary>A path segment: escaped, and never empty or only dots (which would route to another operation).</summary>
    private static string EncodePath(FuzzValue value)
    {
        var text = Encode(value);
        return text.Length == 0 || text.Trim('.').Length == 0 || text.Equals("%2e%2e", StringComparison.OrdinalIgnoreCase) ? "%20" + text : text;
    }

    /// <summary>Header values cannot carry line breaks or NUL through HttpClient; everything else goes.</summary>
    private static string HeaderSafe(string text) => text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\0", string.Empty, StringComparison.Ordinal);

    private static string JoinKinds(params string[] kinds) =>
        string.Join(",", kinds.SelectMany(SplitKinds).Distinct(StringComparer.Ordinal));

    private static IEnumerable<string> SplitKinds(string kinds) =>
        kinds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
