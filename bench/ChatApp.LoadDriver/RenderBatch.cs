using System.Text;

namespace ChatApp.LoadDriver;

/// <summary>
/// Reads Blazor's binary render batch: five trailing int32 offsets (updated components, reference frames,
/// disposed component ids, disposed event handler ids, string table), 20-byte frames, and a string table of
/// 7-bit-length-prefixed UTF-8 strings.
/// </summary>
public sealed class RenderBatch(byte[] data)
{
    public const int ElementFrame = 1;
    public const int TextFrame = 2;
    public const int AttributeFrame = 3;
    public const int ComponentFrame = 4;
    public const int MarkupFrame = 8;

    public sealed record Frame(int Index, int Type, int SubtreeLength, string? Name, string? Value, long EventHandlerId, int ComponentId);

    public sealed record Diff(int ComponentId, IReadOnlyList<Edit> Edits);

    public sealed record Edit(int Type, int SiblingIndex, int ReferenceFrameIndex);

    public byte[] Data => data;

    private int Int(int offset) => BitConverter.ToInt32(data, offset);

    private int Trailer(int fromEnd) => Int(data.Length - fromEnd);

    public IReadOnlyList<Diff> UpdatedComponents()
    {
        var start = Trailer(20);
        var count = Int(start);
        var diffs = new List<Diff>(count);
        for (var i = 0; i < count; i++)
        {
            var diffOffset = Int(start + 4 + 4 * i);
            var componentId = Int(diffOffset);
            var editCount = Int(diffOffset + 4);
            var edits = new List<Edit>(editCount);
            for (var e = 0; e < editCount; e++)
            {
                var entry = diffOffset + 8 + 16 * e;
                edits.Add(new Edit(Int(entry), Int(entry + 4), Int(entry + 8)));
            }
            diffs.Add(new Diff(componentId, edits));
        }
        return diffs;
    }

    public IReadOnlyList<Frame> ReferenceFrames()
    {
        var start = Trailer(16);
        var count = Int(start);
        var frames = new List<Frame>(count);
        for (var i = 0; i < count; i++)
        {
            var frame = start + 4 + 20 * i;
            var type = Int(frame);
            frames.Add(type switch
            {
                ElementFrame => new Frame(i, type, Int(frame + 4), String(Int(frame + 8)), null, 0, 0),
                TextFrame or MarkupFrame => new Frame(i, type, 0, null, String(Int(frame + 4)), 0, 0),
                AttributeFrame => new Frame(i, type, 0, String(Int(frame + 4)), String(Int(frame + 8)), BitConverter.ToInt64(data, frame + 12), 0),
                ComponentFrame => new Frame(i, type, Int(frame + 4), null, null, 0, Int(frame + 8)),
                _ => new Frame(i, type, Int(frame + 4), null, null, 0, 0),
            });
        }
        return frames;
    }

    /// <summary>The components this batch rendered (a component renders when it is added, so every live one was here once).</summary>
    public IEnumerable<int> RenderedComponentIds()
    {
        var start = Trailer(20);
        for (var i = 0; i < Int(start); i++)
        {
            yield return Int(Int(start + 4 + 4 * i));
        }
    }

    public IEnumerable<int> DisposedComponentIds()
    {
        var start = Trailer(12);
        for (var i = 0; i < Int(start); i++)
        {
            yield return Int(start + 4 + 4 * i);
        }
    }

    /// <summary>How many event handler ids the batch disposed (read with <see cref="DisposedEventHandlerId"/>: no list per batch).</summary>
    public int DisposedEventHandlerIdCount => Int(Trailer(8));

    public long DisposedEventHandlerId(int index) => BitConverter.ToInt64(data, Trailer(8) + 4 + 8 * index);

    private string? String(int index)
    {
        if (index < 0)
        {
            return null;
        }
        var offset = Int(Trailer(4) + 4 * index);
        var length = 0;
        var shift = 0;
        byte b;
        do
        {
            b = data[offset++];
            length |= (b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return Encoding.UTF8.GetString(data, offset, length);
    }

    /// <summary>True when the batch carries this text anywhere (a message token, say) — a byte search, no decoding.</summary>
    public bool Contains(ReadOnlySpan<byte> utf8) => data.AsSpan().IndexOf(utf8) >= 0;
}
