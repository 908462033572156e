/**
 * The vocabulary of relaying across the tearline (design §6): the rule an operator wrote, the
 * item an officer wants to alert, and the rooms it could go to. Plain data, no behaviour.
 */
import type { Identifiers } from "./identifiers.ts";
import type { SightingKind } from "./kinds.ts";
import type { Grading, Tlp } from "./marking.ts";
import type { Speed } from "./motion.ts";
import type { Position } from "./position.ts";
import type { RfiPriority } from "./rfi.ts";

export const SHAREABLE_KINDS = ["sighting", "rfi", "text"] as const;
export type ShareableKind = (typeof SHAREABLE_KINDS)[number];

/**
 * What a rule may strip at the tearline. `reporter` is the person (the partner stays: the copy
 * names where it came from); `identifiers` is every MMSI, IMO, tail and plate; `name` the name.
 */
export const REDACT_FIELDS = [
  "reporter",
  "remarks",
  "name",
  "identifiers",
  "position",
  "course",
  "speed",
  "grading",
] as const;
export type RedactField = (typeof REDACT_FIELDS)[number];

export type Approval =
  | "auto"
  | {
      /** Approvers hold this role in the source room. */
      role: string;
      count: number;
      /** The requester's own approval does not count. */
      notRequester: boolean;
      /** How long a pending alert waits for its quorum. */
      expiresMs: number;
    };

/** One sharing rule for one target room (a rule with `to: [a, b]` is two of these). */
export interface SharingRule {
  /** Stable and unique per configuration: `col-usa→usa-jtf` (`#2` for a second rule of that pair). */
  name: string;
  from: string;
  to: string;
  kinds: readonly ShareableKind[];
  maxTlp: Tlp;
  approval: Approval;
  redact: readonly RedactField[];
  /** Metres; positions are snapped to a grid this coarse. Undefined: left as given. */
  positionPrecisionM?: number | undefined;
  /** Whether a copy relayed under this rule may itself be alerted onward. */
  forward: boolean;
}

/** A configured room, by its alias, with the partners who sit in it. */
export interface RoomInfo {
  alias: string;
  partners: readonly string[];
}

/** The fields of a sighting that can cross; its marking is on the item. */
export interface SharedSighting {
  kind: SightingKind;
  position: Position;
  seenAt: Date;
  ids: Identifiers;
  course?: number | undefined;
  speed?: Speed | undefined;
  grading?: Grading | undefined;
  remarks?: string | undefined;
  reporter: string;
  reporterPartner: string;
}

export interface SharedRfi {
  question: string;
  priority: RfiPriority;
  ltiov?: Date | undefined;
  /** The person who asked: `reporter` in a rule's `redact`. */
  originator: string;
  originatorPartner: string;
}

/** A free-text alert (`!alert tlp=… -- text`); the text is the alert, so no rule field strips it. */
export interface SharedText {
  text: string;
  reporter: string;
  reporterPartner: string;
}

interface ItemMarking {
  /** `S-12`, `RFI-3`, `A-7`: named in the copy so the origin room can be asked about it. */
  ref: string;
  tlp: Tlp;
  /** REL TO: partner codes it may be released to; undefined when none were given. */
  rel?: readonly string[] | undefined;
  /** Set when the item itself arrived by relay: from where, and whether that rule lets it go on. */
  relayed?: { fromRoom: string; ruleForward: boolean } | undefined;
}

export type ShareableItem = ItemMarking &
  (
    | { kind: "sighting"; sighting: SharedSighting }
    | { kind: "rfi"; rfi: SharedRfi }
    | { kind: "text"; text: SharedText }
  );

/** An item after the tearline: every field a rule strips may be missing (the key is absent). */
export type RedactedItem = ItemMarking &
  (
    | {
        kind: "sighting";
        sighting: Partial<SharedSighting> & Pick<SharedSighting, "kind" | "seenAt" | "ids">;
      }
    | { kind: "rfi"; rfi: Partial<SharedRfi> & Omit<SharedRfi, "originator"> }
    | { kind: "text"; text: Partial<SharedText> & Omit<SharedText, "reporter"> }
  );
