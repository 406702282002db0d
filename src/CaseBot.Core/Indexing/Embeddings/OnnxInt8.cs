using System.Buffers.Binary;
using System.Text;

namespace CaseBot.Core.Indexing.Embeddings;

/// <summary>
/// Rewrites an ONNX model so that every MatMul by a constant 2-D float weight runs as ORT's
/// <c>com.microsoft.DynamicQuantizeMatMul</c>: the weight is stored as int8 with one symmetric scale per output
/// column (zero point 0), and ORT quantizes the activations to uint8 per call, so the product runs on the CPU's int8
/// dot-product instructions (VNNI). The protobuf is read and written at the wire level: every field that is not
/// changed is copied as its original bytes, so the result depends only on the input bytes.
/// </summary>
/// <remarks>
/// Field numbers (onnx.proto): ModelProto graph 7, opset_import 8 (domain 1, version 2); GraphProto node 1,
/// initializer 5, input 11, output 12; NodeProto input 1, output 2, op_type 4, domain 7; TensorProto dims 1,
/// data_type 2, float_data 4, name 8, raw_data 9.
/// </remarks>
public static class OnnxInt8
{
    private const int Float = 1, Int8 = 3;
    private const string MsDomain = "com.microsoft";

    /// <param name="onnxModel">The float model's bytes.</param>
    /// <param name="maxRows">Weights with more rows (a wider input) than this stay float. MiniLM's feed-forward output
    /// projections read the 1,536-wide GELU output, whose outliers one uint8 scale per call flattens: quantized too,
    /// they took the least question cosine against the float model from 0.992 to 0.974 and cost two chat questions
    /// of 56 over eight fold seeds (README).</param>
    public static byte[] Quantize(byte[] onnxModel, int maxRows = int.MaxValue)
    {
        var model = Fields(onnxModel);
        var graphField = model.Single(f => f.Number == 7);
        var graphBytes = graphField.Payload(onnxModel).ToArray(); // an array, not a span: the queries below are lambdas
        var graph = Fields(graphBytes);

        // Candidate weights: the second input of a default-domain MatMul, if it is a float 2-D initializer and not
        // also a graph input (a graph input could be fed another value at run time: its initializer is only a default).
        var nodes = graph.Where(f => f.Number == 1).Select(f => Node.Read(f.Payload(graphBytes))).ToList();
        static bool IsMatMul(Node n) => n.OpType == "MatMul" && n.Domain is ("" or "ai.onnx") && n.Inputs.Count == 2;
        var matMulWeights = nodes.Where(IsMatMul).Select(n => n.Inputs[1]).ToHashSet();
        var inputs = graph.Where(f => f.Number == 11).Select(f => Str(Fields(f.Payload(graphBytes)), f.Payload(graphBytes), 1)).ToHashSet();
        var weights = new Dictionary<string, Tensor>();
        var shapes = new Dictionary<string, Tensor>();
        foreach (var f in graph.Where(f => f.Number == 5))
        {
            var header = Tensor.Read(f.Payload(graphBytes), decode: false);
            var name = header.Name;
            shapes[name] = header;
            if (!matMulWeights.Contains(name) || inputs.Contains(name)) continue;
            var tensor = Tensor.Read(f.Payload(graphBytes)); // decoding only these keeps the embedding tables as bytes
            if (tensor.DataType == Float && tensor.Dims.Length == 2 && tensor.Floats is not null && tensor.Dims[0] <= maxRows) weights[name] = tensor;
        }

        // Which MatMuls to rewrite, and every other use of each name: a weight also read elsewhere keeps its float copy.
        var rewrite = nodes.Select(n => IsMatMul(n) && weights.ContainsKey(n.Inputs[1])).ToList();
        var graphOutputs = graph.Where(f => f.Number == 12).Select(f => Str(Fields(f.Payload(graphBytes)), f.Payload(graphBytes), 1)).ToHashSet();
        var otherUses = nodes.Where((n, i) => !rewrite[i]).SelectMany(n => n.Inputs).Concat(graphOutputs!).ToHashSet();

        // A MatMul whose only reader is `Add(Y, bias[N])` takes the bias as its fifth input and the Add's output, and
        // the Add goes: one kernel instead of two, and no pass over Y in between.
        var readers = nodes.SelectMany((n, i) => n.Inputs.Select(input => (input, i))).ToLookup(x => x.input, x => x.i);
        var folds = new Dictionary<int, (string Bias, string Output)>();
        var dropped = new HashSet<int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            if (!rewrite[i] || nodes[i].Outputs.Count != 1 || graphOutputs.Contains(nodes[i].Outputs[0])) continue;
            var y = nodes[i].Outputs[0];
            if (readers[y].Distinct().ToList() is not [var j]) continue;
            var add = nodes[j];
            if (add.OpType != "Add" || add.Domain is not ("" or "ai.onnx") || add.Inputs.Count != 2 || add.Inputs[0] == add.Inputs[1]) continue;
            var bias = add.Inputs[0] == y ? add.Inputs[1] : add.Inputs[0];
            if (shapes.TryGetValue(bias, out var b) && !inputs.Contains(bias) && b.DataType == Float && b.Dims is [var n] && n == weights[nodes[i].Inputs[1]].Dims[1])
            {
                folds[i] = (bias, add.Outputs[0]);
                dropped.Add(j);
            }
        }
        var quantized = nodes.Where((n, i) => rewrite[i]).Select(n => n.Inputs[1]).ToHashSet();
        foreach (var name in quantized)
            foreach (var suffix in new[] { "_int8", "_scale", "_zero_point" })
                if (shapes.ContainsKey(name + suffix)) throw new InvalidDataException($"initializer name {name + suffix} already taken");

        var newGraph = new MemoryStream(graphBytes.Length / 3);
        var nodeIndex = 0;
        foreach (var f in graph)
        {
            if (f.Number == 1)
            {
                var i = nodeIndex++;
                if (rewrite[i]) WriteField(newGraph, 1, nodes[i].Rewrite(folds.TryGetValue(i, out var fold) ? fold : null));
                else if (!dropped.Contains(i)) f.CopyTo(newGraph, graphBytes);
            }
            else if (f.Number == 5 && Tensor.NameOf(f.Payload(graphBytes)) is var name && quantized.Contains(name))
            {
                // The int8 weight, its scales and zero points take the float weight's place; the float copy goes
                // unless something other than a rewritten MatMul reads it.
                if (otherUses.Contains(name)) f.CopyTo(newGraph, graphBytes);
                foreach (var t in Quantize(weights[name])) WriteField(newGraph, 5, t);
            }
            else f.CopyTo(newGraph, graphBytes);
        }

        var output = new MemoryStream(onnxModel.Length / 3);
        var hasMsOpset = model.Where(f => f.Number == 8).Any(f => Str(Fields(f.Payload(onnxModel)), f.Payload(onnxModel), 1) == MsDomain);
        foreach (var f in model)
        {
            if (f.Number == 7) WriteField(output, 7, newGraph.ToArray());
            else f.CopyTo(output, onnxModel);
        }
        if (!hasMsOpset && quantized.Count > 0)
        {
            var opset = new MemoryStream();
            WriteField(opset, 1, Encoding.UTF8.GetBytes(MsDomain));
            WriteVarintField(opset, 2, 1);
            WriteField(output, 8, opset.ToArray());
        }
        return output.ToArray();
    }

    /// <summary>What a model holds, for tests: its nodes, its initializers' types and shapes, its opset domains.</summary>
    internal static (List<(string OpType, string Domain, List<string> Inputs, List<string> Outputs)> Nodes, Dictionary<string, (int DataType, long[] Dims)> Initializers,
        List<string> Opsets) Describe(byte[] onnxModel)
    {
        var model = Fields(onnxModel);
        var graphBytes = model.Single(f => f.Number == 7).Payload(onnxModel).ToArray();
        var graph = Fields(graphBytes);
        var nodes = graph.Where(f => f.Number == 1).Select(f => Node.Read(f.Payload(graphBytes))).Select(n => (n.OpType, n.Domain, n.Inputs, n.Outputs)).ToList();
        var initializers = graph.Where(f => f.Number == 5).Select(f => Tensor.Read(f.Payload(graphBytes), decode: false))
            .ToDictionary(t => t.Name, t => (t.DataType, t.Dims));
        var opsets = model.Where(f => f.Number == 8).Select(f => Str(Fields(f.Payload(onnxModel)), f.Payload(onnxModel), 1) ?? "").ToList();
        return (nodes, initializers, opsets);
    }

    /// <summary>W [K,N] row-major → int8 weight, per-column scale max|W[:,n]|/127, zero points 0.</summary>
    private static byte[][] Quantize(Tensor w)
    {
        var (k, n) = ((int)w.Dims[0], (int)w.Dims[1]);
        var data = w.Floats!;
        var scales = new float[n];
        for (var r = 0; r < k; r++)
            for (var c = 0; c < n; c++) scales[c] = MathF.Max(scales[c], MathF.Abs(data[r * n + c]));
        for (var c = 0; c < n; c++) scales[c] = scales[c] > 0 ? scales[c] / 127f : 1f; // an all-zero column quantizes to 0 at any scale
        var q = new byte[k * n];
        for (var r = 0; r < k; r++)
            for (var c = 0; c < n; c++)
                q[r * n + c] = (byte)(sbyte)Math.Clamp(MathF.Round(data[r * n + c] / scales[c]), -127f, 127f);
        var scaleBytes = new byte[n * 4];
        for (var c = 0; c < n; c++) BinaryPrimitives.WriteSingleLittleEndian(scaleBytes.AsSpan(c * 4), scales[c]);
        return
        [
            Tensor.Write(w.Name + "_int8", Int8, [k, n], q),
            Tensor.Write(w.Name + "_scale", Float, [n], scaleBytes),
            Tensor.Write(w.Name + "_zero_point", Int8, [n], new byte[n]),
        ];
    }

    private sealed record Node(byte[] Bytes, List<Field> Fields, List<string> Inputs, List<string> Outputs, string OpType, string Domain)
    {
        public static Node Read(ReadOnlySpan<byte> bytes)
        {
            var copy = bytes.ToArray();
            var fields = OnnxInt8.Fields(copy);
            var inputs = fields.Where(f => f.Number == 1).Select(f => Encoding.UTF8.GetString(f.Payload(copy))).ToList();
            var outputs = fields.Where(f => f.Number == 2).Select(f => Encoding.UTF8.GetString(f.Payload(copy))).ToList();
            return new Node(copy, fields, inputs, outputs, Str(fields, copy, 4) ?? "", Str(fields, copy, 7) ?? "");
        }

        /// <summary>Same fields in the same order; B becomes [Bq, Bscale, Bzp(, bias)], op_type and domain change.</summary>
        public byte[] Rewrite((string Bias, string Output)? fold)
        {
            var s = new MemoryStream(Bytes.Length + 64);
            var inputIndex = 0;
            var wroteDomain = false;
            foreach (var f in Fields)
            {
                if (f.Number == 1 && inputIndex++ == 1)
                {
                    foreach (var suffix in new[] { "_int8", "_scale", "_zero_point" }) WriteField(s, 1, Encoding.UTF8.GetBytes(Inputs[1] + suffix));
                    if (fold is { } bias) WriteField(s, 1, Encoding.UTF8.GetBytes(bias.Bias));
                }
                else if (f.Number == 2 && fold is { } output) WriteField(s, 2, Encoding.UTF8.GetBytes(output.Output));
                else if (f.Number == 4) WriteField(s, 4, "DynamicQuantizeMatMul"u8.ToArray());
                else if (f.Number == 7) { WriteField(s, 7, Encoding.UTF8.GetBytes(MsDomain)); wroteDomain = true; }
                else f.CopyTo(s, Bytes);
            }
            if (!wroteDomain) WriteField(s, 7, Encoding.UTF8.GetBytes(MsDomain));
            return s.ToArray();
        }
    }

    private sealed record Tensor(string Name, int DataType, long[] Dims, float[]? Floats)
    {
        public static string NameOf(ReadOnlySpan<byte> bytes) => Str(Fields(bytes), bytes, 8) ?? "";

        public static Tensor Read(ReadOnlySpan<byte> bytes, bool decode = true)
        {
            var fields = Fields(bytes);
            var dims = new List<long>();
            var dataType = 0;
            Field? raw = null;
            var floats = new List<float>();
            foreach (var f in fields)
            {
                var payload = f.Payload(bytes);
                switch (f.Number, f.WireType)
                {
                    case (1, 0): dims.Add((long)f.Value); break;
                    case (1, 2): for (var p = 0; p < payload.Length;) dims.Add((long)ReadVarint(payload, ref p)); break; // packed
                    case (2, 0): dataType = (int)f.Value; break;
                    case (4, 2): for (var p = 0; p + 4 <= payload.Length; p += 4) floats.Add(BinaryPrimitives.ReadSingleLittleEndian(payload[p..])); break;
                    case (4, 5): floats.Add(BitConverter.UInt32BitsToSingle((uint)f.Value)); break;
                    case (9, 2): raw = f; break;
                    case (13, _) or (14, _): return new Tensor(Str(fields, bytes, 8) ?? "", dataType, [.. dims], null); // external data: leave alone
                }
            }
            var values = !decode || dataType != Float ? null : raw is { } r ? Decode(r.Payload(bytes)) : floats.Count > 0 ? floats.ToArray() : null;
            if (values is not null && dims.Aggregate(1L, (a, d) => a * d) != values.Length) values = null;
            return new Tensor(Str(fields, bytes, 8) ?? "", dataType, [.. dims], values);
        }

        private static float[] Decode(ReadOnlySpan<byte> raw)
        {
            var values = new float[raw.Length / 4];
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
            return values;
        }

        public static byte[] Write(string name, int dataType, long[] dims, byte[] raw)
        {
            var s = new MemoryStream(raw.Length + 64);
            foreach (var d in dims) WriteVarintField(s, 1, (ulong)d);
            WriteVarintField(s, 2, (ulong)dataType);
            WriteField(s, 8, Encoding.UTF8.GetBytes(name));
            WriteField(s, 9, raw);
            return s.ToArray();
        }
    }

    /// <summary>One top-level field of a message: its whole byte range (tag included) and where its payload lies.</summary>
    private readonly record struct Field(int Number, int WireType, int Start, int End, int PayloadStart, ulong Value)
    {
        public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> message) => message[PayloadStart..End];
        public void CopyTo(Stream s, ReadOnlySpan<byte> message) => s.Write(message[Start..End]);
    }

    private static List<Field> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        for (var p = 0; p < message.Length;)
        {
            var start = p;
            var tag = ReadVarint(message, ref p);
            var (number, wire) = ((int)(tag >> 3), (int)(tag & 7));
            ulong value = 0;
            var payloadStart = p;
            switch (wire)
            {
                case 0: value = ReadVarint(message, ref p); break;
                case 1: value = BinaryPrimitives.ReadUInt64LittleEndian(message[p..]); p += 8; break;
                case 2:
                    var length = (int)ReadVarint(message, ref p);
                    payloadStart = p;
                    p += length;
                    break;
                case 5: value = BinaryPrimitives.ReadUInt32LittleEndian(message[p..]); p += 4; break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {wire} at byte {start}");
            }
            if (p > message.Length) throw new InvalidDataException("truncated protobuf field");
            fields.Add(new Field(number, wire, start, p, payloadStart, value));
        }
        return fields;
    }

    private static string? Str(List<Field> fields, ReadOnlySpan<byte> message, int number)
    {
        foreach (var f in fields)
            if (f.Number == number && f.WireType == 2) return Encoding.UTF8.GetString(f.Payload(message));
        return null;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> b, ref int p)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var c = b[p++];
            result |= (ulong)(c & 0x7f) << shift;
            if (c < 0x80) return result;
        }
        throw new InvalidDataException("malformed varint");
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        for (; v >= 0x80; v >>= 7) s.WriteByte((byte)(v | 0x80));
        s.WriteByte((byte)v);
    }

    private static void WriteVarintField(Stream s, int number, ulong value)
    {
        WriteVarint(s, (ulong)number << 3);
        WriteVarint(s, value);
    }

    private static void WriteField(Stream s, int number, ReadOnlySpan<byte> payload)
    {
        WriteVarint(s, (ulong)number << 3 | 2);
        WriteVarint(s, (ulong)payload.Length);
        s.Write(payload);
    }
}
