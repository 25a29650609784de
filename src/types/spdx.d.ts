declare module 'spdx-expression-parse' {
  export type SpdxLicense = {license: string; plus?: boolean; exception?: string}
  export type SpdxConjunction = {left: SpdxNode; conjunction: 'and' | 'or'; right: SpdxNode}
  export type SpdxNode = SpdxLicense | SpdxConjunction
  export default function parse(expression: string): SpdxNode
}
declare module 'spdx-correct' {
  export default function correct(identifier: string, options?: {upgrade?: boolean}): string | null
}
declare module 'spdx-satisfies' {
  export default function satisfies(expression: string, allowed: string[]): boolean
}
