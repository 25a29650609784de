/**
 * The compliance model: a policy (rules a team agrees on, `[policy]` in $GGEN_HOME/policy.toml or
 * in a bundle) and a bundle (the approved packages with their constraints, its enforcement and
 * the teams it binds). Teams share these files, so unknown keys are kept (passthrough) and the
 * core keys below never change meaning.
 */
import {z} from 'zod'
import {PackageId, Tier} from '../domain/schemas.js'

export const Enforcement = z.enum(['soft', 'hard'])
export type Enforcement = z.infer<typeof Enforcement>

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export const Severity = z.enum(SEVERITIES)
export type Severity = z.infer<typeof Severity>

/** every rule a violation can name (a waiver names one of these, or `*`) */
export const RULES = ['unapproved', 'out-of-range', 'missing-required', 'min-quality', 'production-ready', 'license', 'deprecated', 'yanked', 'severity'] as const
export type Rule = (typeof RULES)[number]

export const Waiver = z
  .object({
    /** a package id, or id@range for some versions only */
    package: z.string().min(1),
    rule: z.union([z.enum(RULES), z.literal('*')]),
    reason: z.string().min(1),
    /** an ISO date; past it the waiver no longer counts */
    expires: z.string().optional(),
  })
  .passthrough()
export type Waiver = z.infer<typeof Waiver>

export const PolicyRules = z
  .object({
    /** default: the bundle's enforcement for a bundle's policy, soft for a team policy file */
    enforcement: Enforcement.optional(),
    min_quality: z.number().min(0).max(100).optional(),
    production_ready: z.boolean().optional(),
    deny_deprecated: z.boolean().optional(),
    deny_yanked: z.boolean().optional(),
    /** advisories above this severity violate (filled by security-scan) */
    max_severity: Severity.optional(),
    licenses: z.object({allow: z.array(z.string()).optional(), deny: z.array(z.string()).optional()}).passthrough().optional(),
    waivers: z.array(Waiver).optional(),
  })
  .passthrough()
export type PolicyRules = z.infer<typeof PolicyRules>

/** the team policy file: `[policy]` plus whatever else a team keeps in it */
export const PolicyFile = z.object({policy: PolicyRules}).passthrough()
export type PolicyFile = z.infer<typeof PolicyFile>

export const BUNDLE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/i

export const BundlePackage = z
  .object({
    id: PackageId,
    /** a semver range every locked version must satisfy ("*": any) */
    version: z.string().min(1).default('*'),
    optional: z.boolean().default(false),
    tier: Tier.default('required'),
  })
  .passthrough()
export type BundlePackage = z.infer<typeof BundlePackage>

export const Bundle = z
  .object({
    id: z.string().regex(BUNDLE_NAME_RE, 'a bundle name is letters, digits, . _ - (at most 64)'),
    name: z.string().min(1),
    description: z.string().default(''),
    packages: z.array(BundlePackage).default([]),
    enforcement: Enforcement.default('soft'),
    teams: z.array(z.string()).default([]),
    created_at: z.string(),
    updated_at: z.string().optional(),
    maintainer: z.string().default(''),
    policy: PolicyRules.optional(),
  })
  .passthrough()
export type Bundle = z.infer<typeof Bundle>
