import { REDEMPTION_STATUS_NAMES, type PointsReportDto, type RedemptionDto } from '@wenming/contracts';
import { cellTime, createWorkbook } from '../../lib/xlsx.ts';

/** 兑换记录.xlsx: one row per redemption. */
export async function redemptionsWorkbook(items: RedemptionDto[]): Promise<Buffer> {
  const wb = await createWorkbook();
  wb.addSheet(
    '兑换记录',
    [
      { header: '兑换时间', key: 'createdAt', width: 18 },
      { header: '奖品', key: 'rewardName', width: 22 },
      { header: '数量', key: 'quantity', width: 8 },
      { header: '积分', key: 'points', width: 10 },
      { header: '兑换人', key: 'userName', width: 12 },
      { header: '手机号', key: 'userPhone', width: 14 },
      { header: '取货码', key: 'pickupCode', width: 12 },
      { header: '状态', key: 'status', width: 10 },
      { header: '领取时间', key: 'fulfilledAt', width: 18 },
      { header: '所属阵地', key: 'orgName', width: 28 },
      { header: '取货地点', key: 'pickupOrgName', width: 28 },
    ],
    items.map((d) => ({
      createdAt: cellTime(d.createdAt),
      rewardName: d.rewardName,
      quantity: d.quantity,
      points: d.points,
      userName: d.userName ?? '',
      userPhone: d.userPhone ?? '',
      pickupCode: d.pickupCode,
      status: REDEMPTION_STATUS_NAMES[d.status],
      fulfilledAt: cellTime(d.fulfilledAt),
      orgName: d.orgName,
      pickupOrgName: d.pickupOrgName,
    })),
  );
  return wb.toBuffer();
}

/** 积分月报.xlsx: per site per month, the totals, and the stock now. */
export async function pointsReportWorkbook(r: PointsReportDto): Promise<Buffer> {
  const wb = await createWorkbook();
  const ws = wb.addSheet(
    '积分月报',
    [
      { header: '月份', key: 'month', width: 10 },
      { header: '阵地', key: 'orgName', width: 30 },
      { header: '发放积分', key: 'issued', width: 12 },
      { header: '兑换积分', key: 'redeemed', width: 12 },
      { header: '兑换次数', key: 'redemptions', width: 10 },
      { header: '扣减积分（撤销、调减）', key: 'deducted', width: 22 },
    ],
    r.rows,
  );
  const total = ws.addRow({ month: '合计', orgName: `${r.orgName}（${r.from} 至 ${r.to}）`, ...r.totals });
  total.font = { bold: true };

  wb.addSheet(
    '奖品库存',
    [
      { header: '奖品', key: 'name', width: 24 },
      { header: '所属阵地', key: 'orgName', width: 30 },
      { header: '所需积分', key: 'cost', width: 10 },
      { header: '当前库存', key: 'stock', width: 10 },
      { header: '期间兑出', key: 'redeemedInPeriod', width: 10 },
      { header: '状态', key: 'status', width: 8 },
    ],
    r.stock.map((s) => ({ ...s, status: s.status === 'active' ? '在售' : '已下架' })),
  );
  return wb.toBuffer();
}
