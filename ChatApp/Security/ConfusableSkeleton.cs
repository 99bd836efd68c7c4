using System.Runtime.InteropServices;

namespace ChatApp.Security;

/// <summary>
/// The Unicode TR39 "skeleton" of a string: two strings that look alike (Latin "a" and Cyrillic "а", "rn" and
/// "m") have the same skeleton. Computed by ICU's spoof checker, from the ICU library .NET already uses for
/// globalization on this machine, so the confusables data is ICU's, kept current with the operating system.
/// </summary>
public static class ConfusableSkeleton
{
    private static readonly Lazy<IcuSpoofChecker> Checker = new(IcuSpoofChecker.Open);

    public static string Of(string text) => Checker.Value.GetSkeleton(text);

    private sealed class IcuSpoofChecker
    {
        private const int BufferOverflowError = 15;

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr OpenFunction(ref int status);

        // UTF-16 char arrays, ICU's UChar: with CharSet.Unicode they are passed as they are, without conversion.
        [UnmanagedFunctionPointer(CallingConvention.Cdecl, CharSet = CharSet.Unicode)]
        private delegate int SkeletonFunction(IntPtr checker, uint type, [In] char[] id, int length,
            [Out] char[] destination, int capacity, ref int status);

        private readonly IntPtr checker;
        private readonly SkeletonFunction getSkeleton;

        private IcuSpoofChecker(IntPtr checker, SkeletonFunction getSkeleton)
        {
            this.checker = checker;
            this.getSkeleton = getSkeleton;
        }

        public static IcuSpoofChecker Open()
        {
            var (library, suffix) = LoadIcu();
            var open = Marshal.GetDelegateForFunctionPointer<OpenFunction>(NativeLibrary.GetExport(library, "uspoof_open" + suffix));
            var skeleton = Marshal.GetDelegateForFunctionPointer<SkeletonFunction>(NativeLibrary.GetExport(library, "uspoof_getSkeleton" + suffix));
            var status = 0;
            var checker = open(ref status);
            if (status > 0 || checker == IntPtr.Zero)
            {
                throw new InvalidOperationException($"ICU's spoof checker did not open (error {status}).");
            }
            // Opened once for the life of the process; ICU allows concurrent skeleton calls on one checker.
            return new IcuSpoofChecker(checker, skeleton);
        }

        public string GetSkeleton(string text)
        {
            var input = text.ToCharArray();
            var buffer = new char[Math.Max(16, text.Length * 4)];
            while (true)
            {
                var status = 0;
                var length = getSkeleton(checker, 0, input, input.Length, buffer, buffer.Length, ref status);
                if (status == BufferOverflowError)
                {
                    buffer = new char[length + 1];
                    continue;
                }
                if (status > 0)
                {
                    throw new InvalidOperationException($"ICU could not compute a skeleton (error {status}).");
                }
                return new string(buffer, 0, length);
            }
        }

        /// <summary>ICU's i18n library and the version suffix of its exports, found the way .NET finds ICU.</summary>
        private static (IntPtr Library, string Suffix) LoadIcu()
        {
            if (OperatingSystem.IsWindows() && NativeLibrary.TryLoad("icu.dll", out var windows))
            {
                return (windows, "");
            }
            for (var version = 99; version >= 50; version--)
            {
                if (NativeLibrary.TryLoad($"libicui18n.so.{version}", out var library)
                    || NativeLibrary.TryLoad($"libicui18n.{version}.dylib", out library))
                {
                    return (library, NativeLibrary.TryGetExport(library, $"uspoof_open_{version}", out _) ? $"_{version}" : "");
                }
            }
            throw new InvalidOperationException("ICU (libicui18n) was not found; ChatApp needs it to compare display names. On Debian: apt-get install libicu72.");
        }
    }
}
