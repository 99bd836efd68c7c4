using System.Buffers.Binary;
using System.Text;

namespace ChatApp.LoadDriver;

/// <summary>
/// The subset of MessagePack and of SignalR's binary hub framing that Blazor's "blazorpack" protocol uses:
/// each message is a 7-bit varint length followed by one MessagePack array.
/// </summary>
public static class BlazorPack
{
    public const byte RecordSeparator = 0x1e;

    public static byte[] Frame(Action<Writer> write)
    {
        var body = new Writer();
        write(body);
        var payload = body.ToArray();
        var framed = new List<byte>(payload.Length + 5);
        var length = (uint)payload.Length;
        do
        {
            var b = (byte)(length & 0x7f);
            length >>= 7;
            framed.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);
        framed.AddRange(payload);
        return [.. framed];
    }

    /// <summary>Splits a buffer into complete framed messages; returns how many bytes were consumed.</summary>
    public static int ReadFrames(ReadOnlySpan<byte> buffer, List<object?> messages)
    {
        var consumed = 0;
        while (true)
        {
            var span = buffer[consumed..];
            uint length = 0;
            var shift = 0;
            var header = 0;
            while (true)
            {
                if (header >= span.Length || header > 4)
                {
                    return consumed;
                }
                var b = span[header++];
                length |= (uint)(b & 0x7f) << shift;
                shift += 7;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            if (span.Length - header < length)
            {
                return consumed;
            }
            var reader = new Reader(span.Slice(header, (int)length).ToArray());
            messages.Add(reader.Read());
            consumed += header + (int)length;
        }
    }

    public sealed class Writer
    {
        private readonly MemoryStream stream = new();

        public byte[] ToArray() => stream.ToArray();

        public Writer Nil()
        {
            stream.WriteByte(0xc0);
            return this;
        }

        public Writer Bool(bool value)
        {
            stream.WriteByte(value ? (byte)0xc3 : (byte)0xc2);
            return this;
        }

        public Writer Int(long value)
        {
            if (value is >= 0 and <= 127)
            {
                stream.WriteByte((byte)value);
            }
            else
            {
                Span<byte> bytes = stackalloc byte[9];
                bytes[0] = 0xd3;
                BinaryPrimitives.WriteInt64BigEndian(bytes[1..], value);
                stream.Write(bytes);
            }
            return this;
        }

        public Writer String(string? value)
        {
            if (value is null)
            {
                return Nil();
            }
            var bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length < 32)
            {
                stream.WriteByte((byte)(0xa0 | bytes.Length));
            }
            else
            {
                Span<byte> header = stackalloc byte[5];
                header[0] = 0xdb;
                BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)bytes.Length);
                stream.Write(header);
            }
            stream.Write(bytes);
            return this;
        }

        public Writer Array(int count)
        {
            if (count < 16)
            {
                stream.WriteByte((byte)(0x90 | count));
            }
            else
            {
                Span<byte> header = stackalloc byte[5];
                header[0] = 0xdd;
                BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)count);
                stream.Write(header);
            }
            return this;
        }

        /// <summary>Appends already-encoded MessagePack values.</summary>
        public Writer Raw(byte[] encoded)
        {
            stream.Write(encoded);
            return this;
        }

        public Writer Map(int count)
        {
            stream.WriteByte((byte)(0x80 | count));
            return this;
        }
    }

    /// <summary>Reads one MessagePack value as null, bool, long, double, string, byte[], object?[] or a dictionary.</summary>
    public sealed class Reader(byte[] data)
    {
        private int position;

        public int Position => position;

        public object? Read()
        {
            var code = data[position++];
            switch (code)
            {
                case <= 0x7f:
                    return (long)code;
                case >= 0x80 and <= 0x8f:
                    return ReadMap(code & 0x0f);
                case >= 0x90 and <= 0x9f:
                    return ReadArray(code & 0x0f);
                case >= 0xa0 and <= 0xbf:
                    return ReadString(code & 0x1f);
                case >= 0xe0:
                    return (long)(sbyte)code;
            }
            return code switch
            {
                0xc0 => null,
                0xc2 => false,
                0xc3 => true,
                0xc4 => ReadBytes(Take(1)[0]),
                0xc5 => ReadBytes(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xc6 => ReadBytes((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                0xca => (double)BinaryPrimitives.ReadSingleBigEndian(Take(4)),
                0xcb => BinaryPrimitives.ReadDoubleBigEndian(Take(8)),
                0xcc => (long)Take(1)[0],
                0xcd => (long)BinaryPrimitives.ReadUInt16BigEndian(Take(2)),
                0xce => (long)BinaryPrimitives.ReadUInt32BigEndian(Take(4)),
                0xcf => (long)BinaryPrimitives.ReadUInt64BigEndian(Take(8)),
                0xd0 => (long)(sbyte)Take(1)[0],
                0xd1 => (long)BinaryPrimitives.ReadInt16BigEndian(Take(2)),
                0xd2 => (long)BinaryPrimitives.ReadInt32BigEndian(Take(4)),
                0xd3 => BinaryPrimitives.ReadInt64BigEndian(Take(8)),
                0xd9 => ReadString(Take(1)[0]),
                0xda => ReadString(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xdb => ReadString((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                0xdc => ReadArray(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xdd => ReadArray((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                0xde => ReadMap(BinaryPrimitives.ReadUInt16BigEndian(Take(2))),
                0xdf => ReadMap((int)BinaryPrimitives.ReadUInt32BigEndian(Take(4))),
                _ => throw new InvalidDataException($"Unsupported MessagePack code 0x{code:x2}"),
            };
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            var span = data.AsSpan(position, count);
            position += count;
            return span;
        }

        private string ReadString(int length) => Encoding.UTF8.GetString(Take(length));

        private byte[] ReadBytes(int length) => Take(length).ToArray();

        private object?[] ReadArray(int count)
        {
            var items = new object?[count];
            for (var i = 0; i < count; i++)
            {
                items[i] = Read();
            }
            return items;
        }

        private Dictionary<string, object?> ReadMap(int count)
        {
            var map = new Dictionary<string, object?>();
            for (var i = 0; i < count; i++)
            {
                var key = Read()?.ToString() ?? "";
                map[key] = Read();
            }
            return map;
        }
    }
}
