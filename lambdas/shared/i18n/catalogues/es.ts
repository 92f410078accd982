import type { Catalogue } from '../catalogue-types.js';

export const es: Catalogue = {
  document: {
    invoice: 'Factura',
    invoiceNumber: 'Número de factura',
    creditNote: 'Factura rectificativa',
    creditNoteNumber: 'Número de rectificativa',
    corrects: 'Rectifica la factura',
    creditNoteNote: (n, d, r) => `Esta factura rectificativa corrige la factura ${n} del ${d}. Motivo: ${r}`,
    creditTerms: 'El importe se reembolsa o se compensa con facturas pendientes.',
    issueDate: 'Fecha de emisión',
    dueDate: 'Fecha de vencimiento',
    billingPeriod: 'Periodo de facturación',
    billTo: 'Facturar a',
    customerId: 'ID de cliente',
    taxIds: { vat: 'NIF-IVA', gbVat: 'N.º IVA (Reino Unido)', chVat: 'N.º IVA (Suiza)', noVoec: 'N.º VOEC' },
    description: 'Descripción',
    quantity: 'Cantidad',
    unitPrice: 'Precio unitario',
    amount: 'Importe',
    subtotal: 'Subtotal',
    discount: 'Descuento',
    tax: 'IVA',
    taxOn: (tax, rate, base) => `${tax} ${rate} sobre ${base}`,
    total: 'Total',
    reverseCharge: 'Inversión del sujeto pasivo',
    notSubject: 'no sujeto a IVA',
    nationalVat: (c) => `IVA en ${c} (art. 230 Directiva del IVA)`,
    plan: 'Plan',
    email: 'Correo electrónico',
    continued: 'continuación',
    paymentTerms: (days, due) => `Pagadero en un plazo de ${days} días, a más tardar el ${due}.`,
    reverseChargeNote:
      'Inversión del sujeto pasivo: el IVA debe ser liquidado por el destinatario (art. 196 de la Directiva 2006/112/CE del Consejo).',
    page: (p, n) => `Página ${p} de ${n}`,
    commercialRegister: 'Registro mercantil',
    managingDirectors: 'Administradores',
    bankTransfer: 'Transferencia bancaria',
    accountHolder: 'Titular de la cuenta',
    paymentReference: 'Referencia de pago',
    scanToPay: 'Escanear para pagar',
  },
  products: {
    baseFee: (plan) => `${plan} (cuota base)`,
    baseFeeProrated: (plan, served, days) => `${plan} (cuota base, ${served} de ${days} días)`,
    tierUpTo: (upTo) => `hasta ${upTo}`,
    tierBetween: (from, upTo) => `de ${from} a ${upTo}`,
    tierOver: (from) => `más de ${from}`,
    tierFlatFee: (tier) => `Tarifa fija, ${tier}`,
    packageUnit: (count, size, unit) =>
      `${count === 1 ? 'paquete' : 'paquetes'} de ${size} ${unit}`.trimEnd(),
    creditLine: (n, r) => `Abono de la factura ${n}: ${r}`,
    finalInvoice: (day) => `Factura final: la suscripción terminó el ${day}.`,
    notSubjectBusiness:
      'No sujeto a IVA en el país del prestador: el lugar de la prestación es donde está establecido el destinatario (art. 44 de la Directiva 2006/112/CE), fuera del territorio de IVA de la UE. El destinatario liquida los impuestos que correspondan.',
    notSubjectConsumer: (country) =>
      `No sujeto a IVA: el lugar de la prestación, ${country}, está fuera del territorio de IVA de la UE (art. 58 de la Directiva 2006/112/CE).`,
    usSalesTax:
      'No sujeto a IVA. En esta factura no se cobra el impuesto estatal sobre las ventas de EE. UU.',
    notRegistered: (country) =>
      `No sujeto a IVA: el lugar de la prestación es ${country}, donde el prestador no está registrado a efectos del IVA.`,
  },
  page: {
    paid: 'Pagada',
    overdue: 'Vencida',
    openAmount: 'Importe pendiente',
    downloadPdf: 'Descargar PDF',
    downloadJson: 'Descargar el detalle JSON',
    lines: 'Conceptos',
    notFoundTitle: 'Factura no encontrada',
    notFoundText: 'Este enlace de factura no es válido (o ya no lo es). Pida uno nuevo al remitente.',
    unavailableTitle: 'Factura no disponible',
    unavailableText:
      'Esta factura no se puede mostrar en este momento. Se ha avisado al remitente, que se pondrá en contacto con usted.',
  },
  notification: {
    reminder: 'Recordatorio de pago',
    reminderDue: (n, d, a) => `Recordatorio: su factura ${n} vence el ${d}. Importe pendiente: ${a}.`,
    reminderOverdue: (n, d, a) =>
      `Su factura ${n} venció el ${d} y está pendiente de pago. Importe pendiente: ${a}. Si ya ha pagado, ignore este mensaje.`,
    invoice: (n, p, d, t) => `Su factura ${n} de ${p} se emitió el ${d}. Total: ${t}.`,
    due: (d) => ` Vence el ${d}.`,
    creditNote: (n, i, d, t) =>
      `La factura rectificativa ${n} de su factura ${i} se emitió el ${d}. Importe abonado: ${t}.`,
    open: 'Ver y descargar: ',
  },
};
