import { didYouMean, didYouMeanText, err, exampleFor, ok, quote, type Result, t } from "./result.ts";

export const RFI_PRIORITIES = ["routine", "priority", "immediate"] as const;
export type RfiPriority = (typeof RFI_PRIORITIES)[number];

/**
 * Doctrinal RFI states. Awaiting an answer: open, accepted, deferred, referred. Answered waits
 * for the originator to close it; denied, closed and withdrawn are done.
 */
export const RFI_STATUSES = [
  "open",
  "accepted",
  "deferred",
  "referred",
  "answered",
  "denied",
  "closed",
  "withdrawn",
] as const;
export type RfiStatus = (typeof RFI_STATUSES)[number];
export const AWAITING_ANSWER: readonly RfiStatus[] = ["open", "accepted", "deferred", "referred"];

/** What may be done to an RFI; `withdraw` is what deleting the `!rfi ask` message does. */
export type RfiAction = "accept" | "defer" | "refer" | "deny" | "answer" | "close" | "withdraw";

/** Who must answer: a partner (`to=USA`) or the partners of a configured room (`to=usa-jtf`). */
export type Addressee = { partner: string } | { room: string; partners: string[] };

export interface Rfi {
  id: number;
  ref: string;
  roomId: string;
  originator: string;
  originatorPartner: string;
  priority: RfiPriority;
  ltiov?: Date | undefined;
  to: Addressee;
  question: string;
  status: RfiStatus;
  /** The reason given with the last accept/defer/refer/deny/close. */
  reason?: string | undefined;
  answer?: string | undefined;
  answeredBy?: string | undefined;
  answeredAt?: Date | undefined;
  createdAt: Date;
  updatedAt: Date;
}

const FROM: Record<RfiAction, readonly RfiStatus[]> = {
  accept: ["open", "deferred", "referred"],
  defer: ["open", "accepted", "referred"],
  refer: AWAITING_ANSWER,
  deny: AWAITING_ANSWER,
  answer: [...AWAITING_ANSWER, "answered"],
  close: [...AWAITING_ANSWER, "answered", "denied"],
  withdraw: [...AWAITING_ANSWER, "answered", "denied"],
};

const TO: Record<RfiAction, RfiStatus> = {
  accept: "accepted",
  defer: "deferred",
  refer: "referred",
  deny: "denied",
  answer: "answered",
  close: "closed",
  withdraw: "withdrawn",
};

/** The state after `action`, or why it can't be done in the current state. */
export function transition(rfi: Pick<Rfi, "ref" | "status">, action: RfiAction): Result<RfiStatus> {
  if (FROM[action].includes(rfi.status)) return ok(TO[action]);
  const params = { ref: rfi.ref, status: t(`rfi.state.${rfi.status}`), action: t(`rfi.state.${TO[action]}`) };
  return err(
    t(rfi.status === "answered" && action !== "close" ? "rfi.cannotCloseHint" : "rfi.cannot", params),
  );
}

/** `accepted`, `denied`, `withdrawn`: the participle is the name of the state it leads to. */
export function pastTense(action: RfiAction): string {
  return TO[action];
}

export function isAwaitingAnswer(status: RfiStatus): boolean {
  return AWAITING_ANSWER.includes(status);
}

/** An RFI still awaiting its answer after its LTIOV. */
export function isOverdue(rfi: Pick<Rfi, "status" | "ltiov">, now: Date): boolean {
  return rfi.ltiov !== undefined && isAwaitingAnswer(rfi.status) && +rfi.ltiov < +now;
}

export function parsePriority(text: string, field = "priority"): Result<RfiPriority> {
  const word = text.trim().toLowerCase();
  const short: Record<string, RfiPriority> = {
    r: "routine",
    p: "priority",
    i: "immediate",
    o: "immediate",
    urgent: "immediate",
  };
  // Own keys only: `priority=constructor` must not read as Object's constructor.
  const found =
    RFI_PRIORITIES.find((p) => p === word) ?? (Object.hasOwn(short, word) ? short[word] : undefined);
  if (found !== undefined) return ok(found);
  const guess = didYouMean(word, RFI_PRIORITIES);
  return err(
    t("rfi.priorityInvalid", {
      input: quote(text),
      priorities: RFI_PRIORITIES.join(", "),
      hint: didYouMeanText(guess),
    }),
    exampleFor(field, guess ?? "immediate"),
    field,
  );
}

/** `USA` or `usa-jtf`. */
export function formatAddressee(to: Addressee): string {
  return "partner" in to ? to.partner : to.room;
}

/** The partner codes whose people may answer. */
export function addresseePartners(to: Addressee): string[] {
  return "partner" in to ? [to.partner] : to.partners;
}
