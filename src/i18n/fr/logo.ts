import type en from '../en/logo.js';

export default {
  'logo.help': 'logo imprimé en haut à gauche des factures, devis, relevés et lettres (fichier PNG ou JPEG, 1 Mo au plus ; "" le retire) ; chaque document garde le logo de son émission',
  'logo.describe': '{kind}, {width} x {height} px, {size}',
  'logo.size.bytes': '{n} octets',
  'logo.size.kb': '{n} Ko',
  'logo.size.decimal': ',',
  'logo.set': '{key} = {file} ({description}) ; les nouveaux documents et les brouillons l\'affichent, les documents émis gardent le leur',
  'logo.removed': 'business.logo retiré : les nouveaux documents et les brouillons n\'ont plus de logo, les documents émis gardent le leur',
  'logo.noneToRemove': 'business.logo : aucun logo à retirer',
  'logo.refused.missing': 'business.logo : le fichier {file} n\'existe pas ; indiquez le chemin d\'une image PNG ou JPEG',
  'logo.refused.notFile': 'business.logo : {file} n\'est pas un fichier ; indiquez le chemin d\'une image PNG ou JPEG',
  'logo.refused.unreadable': 'business.logo : impossible de lire {file} ({why}) ; vérifiez ses droits',
  'logo.refused.empty': 'business.logo : {file} est vide ; indiquez une image PNG ou JPEG',
  'logo.refused.tooBig': 'business.logo : {file} pèse {size}, plus que {max} ; enregistrez un PNG ou un JPEG plus léger (quelques centaines de pixels de large suffisent pour un logo)',
  'logo.refused.kind': 'business.logo : {file} est une image {kind} ; enregistrez-la d\'abord en PNG ou en JPEG',
  'logo.refused.unknown': 'business.logo : {file} n\'est pas une image PNG ou JPEG (d\'après son contenu, non son nom) ; enregistrez-la d\'abord en PNG ou en JPEG',
  'logo.refused.damaged': 'business.logo : {file} semble être un {kind} mais est illisible (abîmé ou incomplet) ; exportez-le de nouveau en PNG ou en JPEG',
  'logo.refused.cmyk': 'business.logo : {file} est un JPEG CMJN, que les factures Factur-X (PDF/A, sRVB) ne peuvent pas contenir ; enregistrez-le en JPEG RVB ou en PNG',
  'logo.refused.dimensions': 'business.logo : {file} mesure {width} x {height} pixels ; un logo fait au plus 6000 pixels de côté et 16 mégapixels : réduisez-le',
} satisfies Record<keyof typeof en, string>;
