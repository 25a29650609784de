/**
 * The team graph as snapshots, for export: one per machine in the order they first synced (the
 * Cypher script replays them in turn) and the merged whole (for GraphML and JSON).
 */
import type {GraphSnapshot} from '../model.js'
import type {Neo4jGraphStore} from '../neo4j/neo4j-store.js'

export async function teamSnapshots(store: Pick<Neo4jGraphStore, 'machines' | 'snapshot'>, machine?: string): Promise<{snapshots: GraphSnapshot[]; merged: GraphSnapshot}> {
  const machines = (await store.machines()).map((m) => m.name).filter((m) => !machine || m === machine)
  const snapshots: GraphSnapshot[] = []
  for (const m of machines) snapshots.push(await store.snapshot({machine: m}))
  const merged = machine ? (snapshots[0] ?? (await store.snapshot({machine}))) : await store.snapshot()
  return {snapshots, merged}
}
