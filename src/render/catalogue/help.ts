/**
 * The commands' summaries for `!help`, in every language (kept here so the per-language files
 * need not carry them). Usage lines, examples and command words are never translated.
 */
import type { Lang } from "../../domain/lang.ts";

const english = {
  "help.cmd.help": "List the commands, or explain one",
  "help.cmd.status": "Health of the bot: version, device and fingerprint, rooms, last sync, database",
  "help.cmd.sight": "Log a sighting: kind, position, and what else you know",
  "help.cmd.sightings": "List this room's sightings, newest first; filter by time, kind, place or text",
  "help.cmd.retract": "Retract a sighting of this room",
  "help.cmd.rfi": "Requests for information to partners, tracked to closure",
  "help.cmd.alert": "Propose relaying a sighting, an RFI or a text to other rooms, under the sharing rules",
  "help.cmd.approve": "Approve an alert waiting in this room (same as ✅ on its approval request)",
  "help.cmd.deny":
    "Deny an alert waiting in this room (same as ❌ on its approval request): it is never relayed",
  "help.cmd.rules": "The sharing rules from and into this room, or a dry run of where an item would go",
  "help.cmd.digest": "The commanders' digest of this room: now, or on a schedule",
  "help.cmd.export":
    "A file of what this room may see, for TAK (CoT), MISP/OpenCTI (STIX 2.1) or a spreadsheet (CSV)",
  "help.cmd.lang": "Show this room's language, or set it (en, es, pt, fr)",
} as const;

export type HelpId = keyof typeof english;

export const helpCatalogues: Readonly<Record<Lang, Record<HelpId, string>>> = {
  en: english,
  es: {
    "help.cmd.help": "Lista los comandos, o explica uno",
    "help.cmd.status":
      "Estado del bot: versión, dispositivo y huella, salas, última sincronización, base de datos",
    "help.cmd.sight": "Registra un avistamiento: tipo, posición y todo lo demás que sepa",
    "help.cmd.sightings":
      "Lista los avistamientos de esta sala, del más reciente al más antiguo; filtre por hora, tipo, lugar o texto",
    "help.cmd.retract": "Retira un avistamiento de esta sala",
    "help.cmd.rfi": "Solicitudes de información a los socios, con seguimiento hasta su cierre",
    "help.cmd.alert":
      "Propone retransmitir un avistamiento, una RFI o un texto a otras salas, según las reglas de intercambio",
    "help.cmd.approve":
      "Aprueba una alerta pendiente en esta sala (igual que ✅ en su solicitud de aprobación)",
    "help.cmd.deny":
      "Deniega una alerta pendiente en esta sala (igual que ❌ en su solicitud de aprobación): nunca se retransmite",
    "help.cmd.rules":
      "Las reglas de intercambio desde y hacia esta sala, o una simulación de adónde iría un elemento",
    "help.cmd.digest": "El resumen de esta sala para los comandantes: ahora, o según un horario",
    "help.cmd.export":
      "Un archivo con lo que esta sala puede ver, para TAK (CoT), MISP/OpenCTI (STIX 2.1) o una hoja de cálculo (CSV)",
    "help.cmd.lang": "Muestra el idioma de esta sala, o lo cambia (en, es, pt, fr)",
  },
  pt: {
    "help.cmd.help": "Lista os comandos, ou explica um",
    "help.cmd.status":
      "Saúde do bot: versão, dispositivo e impressão digital, salas, última sincronização, banco de dados",
    "help.cmd.sight": "Registra um avistamento: tipo, posição e o que mais você souber",
    "help.cmd.sightings":
      "Lista os avistamentos desta sala, do mais recente ao mais antigo; filtre por hora, tipo, lugar ou texto",
    "help.cmd.retract": "Retira um avistamento desta sala",
    "help.cmd.rfi": "Pedidos de informação aos parceiros, acompanhados até o encerramento",
    "help.cmd.alert":
      "Propõe retransmitir um avistamento, um RFI ou um texto a outras salas, segundo as regras de compartilhamento",
    "help.cmd.approve": "Aprova um alerta pendente nesta sala (o mesmo que ✅ no seu pedido de aprovação)",
    "help.cmd.deny":
      "Nega um alerta pendente nesta sala (o mesmo que ❌ no seu pedido de aprovação): ele nunca é retransmitido",
    "help.cmd.rules":
      "As regras de compartilhamento de e para esta sala, ou uma simulação de para onde um item iria",
    "help.cmd.digest": "O resumo desta sala para os comandantes: agora, ou segundo um horário",
    "help.cmd.export":
      "Um arquivo com o que esta sala pode ver, para TAK (CoT), MISP/OpenCTI (STIX 2.1) ou uma planilha (CSV)",
    "help.cmd.lang": "Mostra o idioma desta sala, ou o altera (en, es, pt, fr)",
  },
  fr: {
    "help.cmd.help": "Liste les commandes, ou en explique une",
    "help.cmd.status":
      "État du bot : version, appareil et empreinte, salons, dernière synchronisation, base de données",
    "help.cmd.sight": "Consigne une observation : type, position et tout ce que vous savez d'autre",
    "help.cmd.sightings":
      "Liste les observations de ce salon, les plus récentes d'abord ; filtrez par heure, type, lieu ou texte",
    "help.cmd.retract": "Retire une observation de ce salon",
    "help.cmd.rfi": "Demandes de renseignements aux partenaires, suivies jusqu'à leur clôture",
    "help.cmd.alert":
      "Propose de relayer une observation, une RFI ou un texte vers d'autres salons, selon les règles de partage",
    "help.cmd.approve":
      "Approuve une alerte en attente dans ce salon (comme ✅ sur sa demande d'approbation)",
    "help.cmd.deny":
      "Refuse une alerte en attente dans ce salon (comme ❌ sur sa demande d'approbation) : elle n'est jamais relayée",
    "help.cmd.rules":
      "Les règles de partage depuis et vers ce salon, ou une simulation de l'endroit où irait un élément",
    "help.cmd.digest": "La synthèse de ce salon pour les commandants : maintenant, ou selon un calendrier",
    "help.cmd.export":
      "Un fichier de ce que ce salon peut voir, pour TAK (CoT), MISP/OpenCTI (STIX 2.1) ou un tableur (CSV)",
    "help.cmd.lang": "Affiche la langue de ce salon, ou la change (en, es, pt, fr)",
  },
};

export function isHelpId(id: string): id is HelpId {
  return id in english;
}
