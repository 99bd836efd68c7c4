using MudBlazor;

namespace ChatApp.Components.Layout;

/// <summary>ChatApp's one MudBlazor theme: an indigo light palette and a matching dark one.</summary>
/// <remarks>Colours are chosen for WCAG AA contrast (4.5:1 for text) on their own backgrounds in both palettes.</remarks>
public static class ChatTheme
{
    public static readonly MudTheme Default = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4338ca",
            PrimaryContrastText = "#ffffff",
            Secondary = "#0e7490",
            AppbarBackground = "#1e1b4b",
            AppbarText = "#ffffff",
            Background = "#f5f6fa",
            BackgroundGray = "#eceef4",
            Surface = "#ffffff",
            DrawerBackground = "#262262",
            DrawerText = "#e0e3ff",
            DrawerIcon = "#e0e3ff",
            TextPrimary = "#1f2330",
            TextSecondary = "#575f70",
            LinesDefault = "#dfe2ea",
            Error = "#b3261e",
            Success = "#177245",
            Warning = "#8a4b00",
            Info = "#1d4ed8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5b4fc",
            PrimaryContrastText = "#11113a",
            Secondary = "#67e8f9",
            SecondaryContrastText = "#002a33",
            AppbarBackground = "#16152f",
            AppbarText = "#e8e9f5",
            Background = "#121220",
            BackgroundGray = "#1b1b2e",
            Surface = "#1e1e32",
            DrawerBackground = "#18173a",
            DrawerText = "#e0e3ff",
            DrawerIcon = "#e0e3ff",
            TextPrimary = "#e8e9f5",
            TextSecondary = "#b4b8cc",
            LinesDefault = "#34354f",
            Error = "#ffb4ab",
            ErrorContrastText = "#690005",
            Success = "#7ee2a8",
            SuccessContrastText = "#003919",
            Warning = "#ffcc80",
            WarningContrastText = "#3e2100",
            Info = "#93c5fd",
            InfoContrastText = "#0a1f44",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Roboto Flex", "system-ui", "-apple-system", "Segoe UI", "sans-serif"],
            },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "8px",
            AppbarHeight = "56px",
            DrawerWidthLeft = "260px",
        },
    };
}
