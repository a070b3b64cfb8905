/**
 * Traditional → simplified for the characters that carry scam keywords. A full converter (OpenCC) is
 * megabytes of tables; these pairs cover the words the rules look for, which is what "where cheap" means.
 */
const PAIRS =
  '個个們们來来這这說说時时會会為为對对從从國国裡里與与開开關关發发經经號号碼码證证驗验銀银賬账帳账戶户' +
  '轉转匯汇額额貸贷還还實实際际應应該该請请問问題题質质單单價价錢钱寶宝貨货運运遞递報报檢检費费險险' +
  '財财務务處处給给讓让認认識识點点擊击鏈链網网頁页載载裝装軟软體体現现紅红獎奖勵励領领聯联繫系絡络' +
  '電电話话訊讯簡简記记錄录凍冻結结優优惠惠購购買买賣卖東东條条產产業业職职員员專专門门線线後后麼么' +
  '樣样沒没間间總总覺觉親亲愛爱貝贝償偿賠赔損损傷伤騙骗詐诈嚴严違违罪罪捕捕緝缉務务託托貨货幣币' +
  '彙汇屬属護护險险碼码擔担保保證证資资齊齐準准備备啟启權权處处損损虧亏倉仓庫库購购訂订貼贴補补' +
  '幫帮辦办鎖锁解解凍冻會会員员費费計计劃划積积兌兑換换過过期期獲获獎奖稅税紀纪錄录頭头碼码驗验' +
  '碼码輸输入入鑰钥匙匙兒儿孫孙綁绑架架贖赎戲戏盤盘賺赚傭佣單单刷刷評评讚赞淨净團团黨党邊边雙双';

/** Code point of a traditional character → its simplified form. */
export const TRAD_TO_SIMP: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  const chars = Array.from(PAIRS);
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const t = chars[i] as string;
    const s = chars[i + 1] as string;
    if (t !== s) m.set(t.codePointAt(0) as number, s);
  }
  return m;
})();
