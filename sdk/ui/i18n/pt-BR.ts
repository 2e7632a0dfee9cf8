import type en from './en'

/** Catálogo em português do Brasil da base: as mesmas chaves de `en.ts` (o tipo garante que nenhuma falta). */
const ptBR: Record<keyof typeof en, string> = {
  close: 'Fechar',
  dismiss: 'Dispensar',
  shown: 'Novo: {title}',
}
export default ptBR
