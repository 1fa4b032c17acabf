import { styleText } from 'node:util'

/** A style understood by node:util styleText (a colour, a modifier, or several). */
export type Style = Parameters<typeof styleText>[0]

/** Applies a style to text, or returns the text unchanged when colour is off. */
export type Paint = (style: Style, text: string) => string

/**
 * A painter for the text report. `validateStream: false` because the caller has already
 * decided (TTY, NO_COLOR, --color): styleText must not second-guess it from process.stdout.
 */
export function createPaint(color: boolean): Paint {
  return color
    ? (style, text) => (text === '' ? text : styleText(style, text, { validateStream: false }))
    : (_style, text) => text
}
