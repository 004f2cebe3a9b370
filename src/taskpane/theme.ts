/**
 * Office's theme → light or dark. index.tsx reads `Office.context.officeTheme` and passes it here;
 * components get the result as a prop and never look at Office themselves.
 */

/** The members of Office's theme that are read (`Office.OfficeTheme`). */
export interface OfficeThemeColors {
  readonly bodyBackgroundColor?: string;
}

export type PaneTheme = "light" | "dark";

/** Relative luminance (0 black – 1 white) of "#rrggbb" or "#rgb", or null when it is not one. */
function luminance(color: string): number | null {
  let hex = color.trim().replace(/^#/, "");
  if (/^[0-9a-f]{3}$/i.test(hex)) hex = [...hex].map((digit) => digit + digit).join("");
  if (!/^[0-9a-f]{6}$/i.test(hex)) return null;
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** Dark when Office's task-pane background is dark; light when unknown. */
export function paneThemeOf(theme: OfficeThemeColors | null | undefined): PaneTheme {
  const background = theme?.bodyBackgroundColor;
  if (!background) return "light";
  const value = luminance(background);
  return value !== null && value < 0.4 ? "dark" : "light";
}
