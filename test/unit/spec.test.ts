import {describe, expect, it} from 'vitest'
import {parsePackSpec, splitAt, splitDependency} from '../../src/domain/spec.js'
import {validRange} from '../../src/resolve/versions.js'
import {thrown} from '../support/errors.js'

describe('the one id@range parser', () => {
  it('splits at the last @ that is not the first character', () => {
    expect(splitAt('io.x.web@^1.2')).toEqual({id: 'io.x.web', rest: '^1.2'})
    expect(splitAt('io.x.web')).toEqual({id: 'io.x.web', rest: undefined})
    expect(splitAt('@scope/pkg@1.0.0')).toEqual({id: '@scope/pkg', rest: '1.0.0'})
    expect(splitAt('@scope/pkg')).toEqual({id: '@scope/pkg', rest: undefined})
    expect(splitAt('io.x@')).toEqual({id: 'io.x', rest: ''})
  })
  it('reads legacy dependency entries, a missing range as *', () => {
    expect(splitDependency('io.x.util@^1.0')).toEqual({id: 'io.x.util', range: '^1.0'})
    expect(splitDependency('io.x.util')).toEqual({id: 'io.x.util', range: '*'})
    expect(splitDependency('io.x.util@')).toEqual({id: 'io.x.util', range: '*'})
  })
  it('checks command-line specs: id grammar and range', () => {
    expect(parsePackSpec('io.x.web@~1.2.3', validRange)).toEqual({id: 'io.x.web', range: '~1.2.3'})
    expect(thrown(() => parsePackSpec('not an id', validRange)).code).toBe('E_USAGE')
    expect(thrown(() => parsePackSpec('io.x@', validRange)).message).toMatch(/not a version range/)
    expect(thrown(() => parsePackSpec('io.x@^^1.x.garbage', validRange)).code).toBe('E_USAGE')
  })
})
