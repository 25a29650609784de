/**
 * The security scan's graph question (GraphStore.advisoryHits) as a contract both adapters run
 * (analysis-memory.test.ts, analysis-neo4j.test.ts): Advisory-AFFECTS->Version edges joined with
 * the projects in scope that lock the version, sorted the same way, and the `why` paths the scan
 * takes from the same store. Random tags keep tests apart in a shared database.
 */
import {randomBytes} from 'node:crypto'
import {afterEach, describe, expect, it} from 'vitest'
import type {GraphStore} from '../../src/graph/graph-store.js'
import {projectKey, type GraphSnapshot} from '../../src/graph/model.js'
import {itIf} from '../support/skip.js'

export type AdvisoryStoreFactory = () => Promise<GraphStore>

function world() {
  const t = randomBytes(4).toString('hex')
  const m = `m-${t}`
  const id = (n: string) => `t${t}.${n}`
  const adv = (n: string) => `GGEN-${t}-${n}`
  const ref = (machine: string, path: string) => ({key: projectKey(machine, path), name: path.split('/').pop()!, path, machine})
  /** web 1.0.0 -> util; util 1.0.0 / 1.1.0 / 2.0.0; `shop` locks web 1.0.0 + util 1.0.0 (transitive), `blog` util 1.1.0 (direct), `safe` util 2.0.0 */
  const snap = (machine: string, withAdvisories: boolean): GraphSnapshot => {
    const project = (path: string, locks: [string, string, string[], boolean][]) => ({
      key: projectKey(machine, path),
      path,
      machine,
      name: path.split('/').pop()!,
      requires: locks.filter((l) => l[3]).map(([i]) => ({id: i, range: '*'})),
      locks: locks.map(([i, version, dependencies, direct]) => ({id: i, version, dependencies, direct})),
    })
    return {
      machine,
      packages: [{id: id('util'), name: id('util')}, {id: id('web'), name: id('web')}],
      versions: [
        {id: id('util'), version: '1.0.0', requires: {}},
        {id: id('util'), version: '1.1.0', requires: {}},
        {id: id('util'), version: '2.0.0', requires: {}},
        {id: id('web'), version: '1.0.0', requires: {[id('util')]: '^1.0.0'}},
      ],
      projects: [
        project(`/${machine}/shop`, [[id('web'), '1.0.0', [id('util')], true], [id('util'), '1.0.0', [], false]]),
        project(`/${machine}/blog`, [[id('util'), '1.1.0', [], true]]),
        project(`/${machine}/safe`, [[id('util'), '2.0.0', [], true]]),
      ],
      advisories: withAdvisories
        ? [
            {id: adv('B'), package: id('util'), affects: [`${id('util')}@1.0.0`, `${id('util')}@1.1.0`], aliases: [`CVE-${t}`], severity: 'high', summary: 'b', score: 7.5},
            {id: adv('A'), package: id('util'), affects: [`${id('util')}@1.1.0`], aliases: [], severity: 'low'},
          ]
        : [],
    }
  }
  return {t, m, id, adv, ref, snap}
}

export function advisoryContract(name: string, factory: AdvisoryStoreFactory, caps: {multiMachine: boolean}): void {
  describe(`advisory hits contract: ${name}`, () => {
    let open: GraphStore[] = []
    const fresh = async () => {
      const s = await factory()
      open.push(s)
      return s
    }
    afterEach(async () => {
      for (const s of open) await s.close()
      open = []
    })

    it('every affected locked version with the projects locking it, by package, version, id; scoped by machine and project', async () => {
      const w = world()
      const s = await fresh()
      await s.load(w.snap(w.m, true))
      const shop = w.ref(w.m, `/${w.m}/shop`)
      const blog = w.ref(w.m, `/${w.m}/blog`)
      const hits = await s.advisoryHits({machine: w.m})
      expect(hits).toEqual([
        {id: w.adv('B'), summary: 'b', severity: 'high', aliases: [`CVE-${w.t}`], score: 7.5, package: w.id('util'), version: '1.0.0', projects: [shop]},
        {id: w.adv('A'), severity: 'low', aliases: [], package: w.id('util'), version: '1.1.0', projects: [blog]},
        {id: w.adv('B'), summary: 'b', severity: 'high', aliases: [`CVE-${w.t}`], score: 7.5, package: w.id('util'), version: '1.1.0', projects: [blog]},
      ])
      expect(await s.advisoryHits({projectKey: shop.key})).toEqual([hits[0]])
      expect(await s.advisoryHits({projectKey: w.ref(w.m, `/${w.m}/safe`).key})).toEqual([])
      // the path the scan shows for shop: through web
      const why = await s.why(w.id('util'), {projectKey: shop.key, limit: 1, cap: 1})
      expect(why.map((x) => x.paths[0])).toEqual([[{id: w.id('web'), version: '1.0.0'}, {id: w.id('util'), version: '1.0.0'}]])
    })

    it('no advisory, no hit', async () => {
      const w = world()
      const s = await fresh()
      await s.load(w.snap(w.m, false))
      expect(await s.advisoryHits({machine: w.m})).toEqual([])
    })

    itIf(caps.multiMachine, 'needs capability multiMachine')('an advisory one machine synced hits every machine\'s projects that lock the version (the team view)', async () => {
      const w = world()
      const other = `${w.m}-b`
      const s = await fresh()
      await s.load(w.snap(w.m, true))
      await s.load(w.snap(other, false))
      const all = (await s.advisoryHits()).filter((h) => h.package === w.id('util') && h.version === '1.0.0')
      expect(all.map((h) => h.projects.map((p) => p.key))).toEqual([[w.ref(w.m, `/${w.m}/shop`).key, w.ref(other, `/${other}/shop`).key]])
      expect((await s.advisoryHits({machine: other})).map((h) => `${h.id}@${h.version}`)).toEqual([`${w.adv('B')}@1.0.0`, `${w.adv('A')}@1.1.0`, `${w.adv('B')}@1.1.0`])
    })
  })
}
