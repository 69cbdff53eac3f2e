"""The events table: sentences of the white paper, each with every row ``events.find_events`` must give.

Each case is (where it comes from, the paragraph, the rows), plus the date carried from the text before
the paragraph (``previous``) and the edition year (``year``, for 本年/昨年). A row is
(agreement, kind, partner, event, date): the canonical agreement name, its kind (agreement | arrangement |
declaration), the partner's ISO 3166 alpha-3 (an organisation's short name: NATO), the event and the date.
The rows must come out exactly, in any order: a missing row is a recall failure, an extra one a precision
failure. ``mentioned`` rows (an agreement named with a partner, no event) are rows too. A negative is a
case whose rows hold no dated event: it names agreements or dates but states no agreement event of Japan
with a partner (multilateral treaties, agreements between other states, plans, guidelines, committees,
events not yet realised).

Real sentences are quoted from the books, written as the layout stage gives them (ASCII parentheses, no
line-end spaces, footnote numbers out, ruby expansions out: 「(G General Security … SOMIA)」 → 「(GSOMIA)」):

- 2025 pNNN: 令和7年版 (R07zenpen.pdf), physical page NNN (printed page NNN − 10), from its text layer
  (tests/fixtures/corpus/real-2025-textlayer.jsonl.gz);
- 2016 / 2019 / 2023: the HTML editions' passages in tests/fixtures/corpus/ (corpus_passages.py).

Written sentences (``WRITTEN``) are made up in the book's style to exercise one shape each: gapping,
relative clauses, amendments in parentheses, open-vocabulary names, kinds, verbs that are not events,
older date forms, partners named only by the paragraph. Source: 防衛省「防衛白書」, Government of Japan
Standard Terms of Use (real sentences).
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from corpus_passages import CORPUS_2016_B, CORPUS_2019_A, CORPUS_2019_B

from pipeline.events import find_events

WRITTEN = "written"
# Canonical names and kinds of the vocabulary (pipeline/data/agreements.csv)
ACSA, RAA, TECH, INFO = "物品役務相互提供協定", "円滑化協定", "防衛装備品・技術移転協定", "情報保護協定"
GSOMIA, SOFA, DECL = "秘密軍事情報保護協定", "地位協定", "安全保障協力に関する共同宣言"
MOU_EXCHANGE = "防衛協力・交流に関する覚書"
A, R, D = "agreement", "arrangement", "declaration"


class Case(NamedTuple):
    source: str
    paragraph: str
    rows: tuple[tuple[str, str, str, str, str], ...]
    previous: str = ""
    year: int = 2025


TABLE = (
    # --- real: 2025 edition ---------------------------------------------------------------------------
    Case(
        "2025 p387",
        "北朝鮮をめぐる情勢がさらに深刻化していることを踏まえ、北朝鮮の核・ミサイルに関する秘密情報の交換・共有の"
        "ため、日韓の協力をさらに進めるべく、2016年11月、日韓秘密軍事情報保護協定(GSOMIA)を締結した。",
        ((GSOMIA, A, "KOR", "concluded", "2016-11"),),
    ),
    Case(
        "2025 p388",
        "スウェーデンとは、2022年12月には、北欧諸国で初となる防衛装備品・技術移転協定が締結されるなど、"
        "防衛協力・交流を進めている。",
        ((TECH, A, "SWE", "concluded", "2022-12"),),
    ),
    Case(
        "2025 p391",
        "ウクライナは、自由、民主主義、法の支配といった基本的価値を共有するパートナーである。同国との間では、"
        "2018年、日ウクライナ防衛協力・交流に関する覚書に署名したほか、日ウクライナ安全保障協議を開催した。",
        ((MOU_EXCHANGE, R, "UKR", "signed", "2018"),),
    ),
    Case(
        "2025 p392",
        "2024年6月、岸田内閣総理大臣(当時)は、イタリアにおいて、ゼレンスキー・ウクライナ大統領と首脳会談を行い、"
        "「日本国政府とウクライナとの間のウクライナへの支援及び協力に関するアコード」に署名した。また、同年11月、"
        "安保・防衛分野において独自の経験と知見を有するウクライナとの間で情報共有の拡大・促進を進めるため、"
        "駐ウクライナ日本国大使とウクライナ保安庁第一副長官との間で日ウクライナ情報保護協定の署名が行われた。",
        (
            ("ウクライナへの支援及び協力に関するアコード", R, "UKR", "signed", "2024-06"),
            (INFO, A, "UKR", "signed", "2024-11"),
        ),
    ),
    Case(
        "2025 p340",
        "2017年、日米両政府は、軍属補足協定への署名を行い、この協定は即日発効した。",
        (("軍属補足協定", A, "USA", "signed", "2017"), ("軍属補足協定", A, "USA", "in_force", "2017")),
    ),
    Case(
        "2025 p340",
        "2015年、日米両政府は、環境補足協定への署名を行い、この協定は即日発効した。この補足協定は、法的拘束力を"
        "有する国際約束であり、日本環境管理基準(JEGS)の発出・維持や環境に影響を及ぼす事故(漏出)が現に発生した場合"
        "および施設・区域の返還に関連する現地調査(文化財調査を含む。)を行う場合の在日米軍施設・区域への立入手続の"
        "作成・維持などについて規定している。",
        (("環境補足協定", A, "USA", "signed", "2015"), ("環境補足協定", A, "USA", "in_force", "2015")),
    ),
    Case(
        "2025 p340",
        "このため、1987年、日米両国政府は、日米地位協定の経費負担原則の特例的、限定的、暫定的な措置として、"
        "日米地位協定第24条についての特別な措置を定める協定(特別協定)を締結した。",
        (("特別協定", A, "USA", "concluded", "1987"), (SOFA, A, "USA", "mentioned", "")),
    ),
    Case(
        "2025 p340",
        "こうした在日米軍従業員は、日米地位協定の規定により、わが国政府が雇用している。",
        ((SOFA, A, "USA", "mentioned", ""),),
    ),
    Case(
        "2025 p494",
        "フランスとの間では、2016年、防衛装備品・技術移転協定が発効した。",
        ((TECH, A, "FRA", "in_force", "2016"),),
    ),
    Case(
        "2025 p494",
        "ドイツとの間では、2017年、防衛装備品・技術移転協定に署名し、発効した。",
        ((TECH, A, "DEU", "signed", "2017"), (TECH, A, "DEU", "in_force", "2017")),
    ),
    Case(
        "2025 p494",
        "インドとの防衛装備・技術協力は、日印の特別戦略的グローバル・パートナーシップに基づく重要な協力分野と"
        "位置づけられており、2015年の日印首脳会談において防衛装備品・技術移転協定の署名が行われ、2016年に発効した。",
        ((TECH, A, "IND", "signed", "2015"), (TECH, A, "IND", "in_force", "2016")),
    ),
    Case(
        "2025 p494",
        "英国との間では、2013年、防衛装備品・技術移転協定の署名・発効に至り、以降、定期的に協議を行っているほか、"
        "2022年からは GCAP において戦闘機の共同開発を行っている。",
        ((TECH, A, "GBR", "signed", "2013"), (TECH, A, "GBR", "in_force", "2013")),
    ),
    Case(
        "2025 p495",
        "イタリアとの間では、2019年、防衛装備品・技術移転協定が発効したほか、2022年からは GCAP において戦闘機の"
        "共同開発を行っている。",
        ((TECH, A, "ITA", "in_force", "2019"),),
    ),
    Case(
        "2025 p495",
        "スウェーデンとの間では、2022年、防衛装備品・技術移転協定に署名し、発効した。",
        ((TECH, A, "SWE", "signed", "2022"), (TECH, A, "SWE", "in_force", "2022")),
    ),
    Case(
        "2025 p495",
        "具体的な取組として、インドネシアとの間では、2021年に東京で開催された第2回日インドネシア「2+2」において、"
        "防衛装備品・技術移転協定に署名し、即日発効した。",
        ((TECH, A, "IDN", "signed", "2021"), (TECH, A, "IDN", "in_force", "2021")),
    ),
    Case(
        "2025 p495",
        "タイとの間では、2022年、岸田内閣総理大臣(当時)のタイ訪問の際に防衛装備品・技術移転協定に署名し、発効した。",
        ((TECH, A, "THA", "signed", "2022"), (TECH, A, "THA", "in_force", "2022")),
    ),
    Case(
        "2025 p484",
        "日米間においては、2023年12月、次期戦闘機と連携する無人機などへの適用が見込まれる、「無人航空機へ適用する"
        "AI技術に係る日米共同研究」に関する事業取決めに防衛省と米国防省の間で署名した。",
        (("無人航空機へ適用するAI技術に係る日米共同研究に関する事業取決め", R, "USA", "signed", "2023-12"),),
    ),
    Case(
        "2025 p478",
        "2023年、「防衛装備品等の供給の安定化に係る取決め」(SoSA)の署名がなされた。本取決めは、装備品等(最終製品"
        "のみならず、その部品や役務も含む。)を日米間で安定的に相互に供給し合うことを目的とした枠組みであり、"
        "装備品等の強靱で多様化されたサプライチェーン構築に寄与するものである。",
        (("防衛装備品等の供給の安定化に係る取決め", R, "USA", "signed", "2023"),),
    ),
    Case(
        "2025 p492",
        "HGV を滑空段階で迎撃するという課題に対し、両国の技術を結集して対処していくため、2023年8月、日米両国は"
        " GPI 日米共同開発を開始することを公表し、その後、2024年5月のプロジェクト取決めの署名を以て、共同開発を"
        "正式に開始しました。",
        (("プロジェクト取決め", R, "USA", "signed", "2024-05"),),
    ),
    Case(
        "2025 p386",
        "同年9月、ソウルにおいて第15回日米韓防衛実務者協議(DTT)を行い、7月に3か国の閣僚が署名した日米韓安全保障"
        "協力枠組み覚書が、これまでの関係における進捗を制度化し、体系的かつ安定的な形で3か国の安全保障協力を追求する"
        "基礎となるとの見解を共有した。",
        (
            ("安全保障協力枠組み覚書", R, "USA", "signed", "2024-07"),
            ("安全保障協力枠組み覚書", R, "KOR", "signed", "2024-07"),
        ),
        previous="2024-08",
    ),
    # real negatives of 2025: no partner of Japan, not an agreement, or no date
    Case(
        "2025 p386",
        "また、日米韓3か国安全保障協力枠組み覚書への署名を行い、ハイレベル政策協議、北朝鮮ミサイル警戒データの"
        "リアルタイム共有および共同訓練を含む3か国の安全保障協力を、3か国が継続的に実施する意図を有することを"
        "確認した。",
        (),
    ),
    Case(
        "2025 p382",
        "両首脳は、今後の日伊協力の指針となる日伊アクション・プランの発表を歓迎し、同アクション・プランを着実に行い"
        "二国間関係を強化していくことで一致した。また、両首脳は、日伊 ACSA の交渉を開始することで一致するとともに、"
        "GCAP を含め、防衛分野における両国の協力が飛躍的に進展していることを歓迎し、これをさらに強化していくことで"
        "一致した。",
        (),
    ),
    Case(
        "2025 p129",
        "「包括的戦略的パートナーシップ条約」とは、2024年6月の金正恩委員長とプーチン大統領による首脳会談の際に"
        "署名されたもので、同年12月に発効しました。",
        (),
    ),
    Case(
        "2025 p128",
        "北朝鮮は、2023年9月に金委員長が訪露した際、ロシアとの関係を最重視する旨表明している。2024年6月には、"
        "ロシアのプーチン大統領が24年ぶりに北朝鮮を訪問し、金委員長と首脳会談を実施した。この際、武力侵攻を受けた"
        "際の軍事援助の提供などを規定した「包括的戦略的パートナーシップ条約」が署名され、金委員長は、露朝関係が"
        "「同盟」関係という新たな段階に入った旨強調した(同年12月に同条約は発効)。",
        (),
    ),
    Case(
        "2025 p127",
        "1961年に締結された「中朝友好協力および相互援助条約」が現在も継続しているほか、中国は北朝鮮にとって最大の"
        "貿易相手国であり、2023年の北朝鮮の対外貿易(南北交易を除く)に占める中国との貿易額の割合は約9割超と極めて"
        "高水準で、北朝鮮の中国への依存が指摘されている。",
        (),
    ),
    Case(
        "2025 p200",
        "キューバ危機(1962年)など米ソ間の全面核戦争の危険性が認識されるなかで、1970年に核兵器不拡散条約(NPT)が"
        "発効した。",
        (),
    ),
    Case(
        "2025 p200",
        "米露間の核戦力については、2021年1月、両国が新戦略兵器削減条約(新START)の5年間延長に合意したが、ロシアが"
        "核兵器による威嚇ともとれる言動を繰り返しながらウクライナ侵略を継続しているなか、2022年11月には同条約の"
        "枠組みにおける両国間の協議が延期され、翌2023年2月にはロシア側が履行の停止を発表した。",
        (),
    ),
    Case(
        "2025 p200",
        "2025年1月現在、NPTは191の国・地域が締結しているが、例えばインド、イスラエルやパキスタンは依然として"
        "非核兵器国としての加入を拒んでいるほか、これまで核実験を繰り返し、核兵器の開発・保有を宣言してきた"
        "北朝鮮は、2023年9月に憲法に核兵器の発展の高度化を明記し、核戦力の開発・保有を国家制度として基礎づけた旨"
        "主張している。",
        (),
    ),
    Case(
        "2025 p66",
        "なお、ロシアとの間で締結していた中距離核戦力(INF)全廃条約について、ロシアが条約を遵守していないとして、"
        "2019年8月に米国は脱退し、同月に500km 以上の飛距離を持つ通常弾頭仕様の地上発射型ミサイルの発射試験を実施"
        "するなど、この条約で発射試験や生産・保有が規制されていた中距離射程を有する通常弾頭搭載地上発射型ミサイルの"
        "開発を進めている。",
        (),
    ),
    Case(
        "2025 p66",
        "また、2021年2月にロシアとの間で5年間の期限延長を合意した新戦略兵器削減条約(新START)について、2023年2月に"
        "プーチン大統領が年次教書演説において、履行の一時停止を発表したことから、今後の核軍備管理の動向が注目される。",
        (),
    ),
    Case(
        "2025 p132",
        "在韓米軍の安定的な駐留条件を保障するため、在韓米軍の駐留経費の一部を韓国政府が負担する在韓米軍防衛費"
        "分担金については、2021年3月、第11次防衛費分担特別協定について米韓が合意に至った。",
        (),
    ),
    Case(
        "2025 p428",
        "通常兵器の規制に関して、わが国は、人道上の観点と安全保障上の必要性を踏まえつつ、特定通常兵器使用禁止・"
        "制限条約(CCW)などの各種条約に加え、CCW の枠組み外で採択されたクラスター弾に関する条約(オスロ条約)も"
        "締結している。",
        (),
    ),
    Case(
        "2025 p428", "わが国は、同条約の発効を受け、2015年2月に自衛隊が保有する全てのクラスター弾の廃棄を完了した。", ()
    ),
    Case(
        "2025 p165", "また、2024年5月には、非加盟国のノルウェーと新しい安全保障・防衛パートナーシップが締結された。", ()
    ),
    Case(
        "2025 p170",
        "1993年、イスラエルとパレスチナの間で、パレスチナ人がガザ地区およびヨルダン川西岸地区で暫定自治を行うことなど"
        "を決めたオスロ合意が締結され、双方は平和的な共存に向け、交渉による和平プロセスを開始した。",
        (),
    ),
    Case(
        "2025 p346",
        "この代替施設の建設について、同月、稲嶺沖縄県知事(当時)と額賀防衛庁長官(当時)との間でも基本確認書が取り交わ"
        "された。",
        (),
        previous="2006-04",
    ),
    Case(
        "2025 p334",
        "また、同年12月には、拡大抑止に関連する協議やコミュニケーション、抑止を最大化するための戦略的メッセージ、"
        "日本の防衛力によって増進される米国の拡大抑止のための取組を強化する「日米政府間の拡大抑止に関するガイド"
        "ライン」を作成した。",
        (),
        previous="2024-07",
    ),
    Case(
        "2025 p131",
        "2023年の第55回米韓 SCM では、10年ぶりに改定された「2023オーダーメード型抑止戦略」が承認され、韓国の通常"
        "戦力とともに、米国の核戦力を含む全てのカテゴリーの米国の軍事能力を活用する方案に関する指針が反映されている"
        "ことが確認されたとしている。",
        (),
    ),
    Case(
        "2025 p489", "同年12月、政府として同提言を踏まえて、防衛装備移転三原則と運用指針を一部改正した。", (), "2023-06"
    ),
    Case(
        "2025 p415",
        "本行動計画はその後改定され、現在は2023年に策定された第3次行動計画に沿って、WPS に関する取組を進めている。",
        (),
    ),
    Case(
        "2025 p495",
        "2022年のロシアによるウクライナ侵略を受けて、ウクライナ政府からの装備品などの提供要請を踏まえ、自衛隊法に"
        "基づき非殺傷の物資を防衛装備移転三原則の範囲内で提供するべく、同年の国家安全保障会議において、防衛装備移転"
        "三原則の運用指針を一部改正した。",
        (),
    ),
    # --- real: 2016, 2019 and 2023 editions ------------------------------------------------------------
    Case(
        "2016 n3214000",
        "日豪間の防衛協力・交流は、07(平成19)年3月、米国以外では初の安全保障に特化した共同宣言である「安全保障協力"
        "に関する日豪共同宣言」を発表して以来、着実に進展しており、現在ではより実際的・具体的な協力の段階に移行して"
        "いる。",
        ((DECL, D, "AUS", "mentioned", ""),),
        year=2016,
    ),
    Case(
        "2016 n3214000",
        CORPUS_2016_B,
        (
            (ACSA, A, "AUS", "signed", "2010-05"),
            (ACSA, A, "AUS", "in_force", "2013-01"),
            ("ACSAに基づく手続取決め", R, "AUS", "signed", "2010-05"),
            ("ACSAに基づく手続取決め", R, "AUS", "in_force", "2013-01"),
            (INFO, A, "AUS", "in_force", "2013-03"),
        ),
        year=2016,
    ),
    Case(
        "2019 n25304000",
        CORPUS_2019_A,
        (
            (ACSA, A, "USA", "signed", "2016-09"),
            (ACSA, A, "USA", "diet_approved", "2017-04"),
            (ACSA, A, "USA", "in_force", "2017-04"),
        ),
        year=2019,
    ),
    Case(
        "2019 n25304000",
        CORPUS_2019_B,
        (
            (ACSA, A, "GBR", "diet_approved", ""),
            (ACSA, A, "AUS", "diet_approved", ""),
            (ACSA, A, "USA", "diet_approved", ""),
            (ACSA, A, "GBR", "in_force", "2017"),
            (ACSA, A, "AUS", "in_force", "2017"),
            (ACSA, A, "USA", "in_force", "2017"),
            (ACSA, A, "CAN", "diet_approved", "2019-05"),
            (ACSA, A, "FRA", "diet_approved", "2019-05"),
            (ACSA, A, "FRA", "in_force", "2019-06"),
            (ACSA, A, "CAN", "in_force", "2019-07"),
        ),
        previous="2017-04",
        year=2019,
    ),
    Case(
        "2019 n25304000",
        "この協定は、平和安全法制の成立により、自衛隊から米軍に対して実施可能となった物品・役務の提供についても、"
        "これまでの決済手続などと同様の枠組みを適用できるようにするため、これまでの日米ACSAに代わる新たな協定として"
        "作成されたものである。",
        ((ACSA, A, "USA", "mentioned", ""),),
        year=2019,
    ),
    Case(
        "2023 n330102000",
        "日豪防衛協力の深化を背景に、変化する安全保障環境への対応や自由で開かれた国際秩序の維持・強化のため、"
        "2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表したほか、日豪ACSAや日豪情報保護協定、"
        "日豪防衛装備品・技術移転協定、日豪円滑化協定(RAA)といった協力のための基盤を整備してきている。",
        (
            (DECL, D, "AUS", "mentioned", ""),
            (ACSA, A, "AUS", "mentioned", ""),
            (INFO, A, "AUS", "mentioned", ""),
            (TECH, A, "AUS", "mentioned", ""),
            (RAA, A, "AUS", "mentioned", ""),
        ),
        year=2023,
    ),
    Case(
        "2023 n330102000",
        "日豪円滑化協定(RAA)により促進される防衛協力をさらに強化すること",
        ((RAA, A, "AUS", "mentioned", ""),),
        year=2023,
    ),
    # --- written: gapping (one verb, several objects each with its own date and partner) -----------------
    Case(
        WRITTEN,
        "オーストラリアとの間では、10(平成22)年5月に日豪物品役務相互提供協定を、英国との間では、17(同29)年1月に"
        "日英物品役務相互提供協定を締結した。",
        ((ACSA, A, "AUS", "concluded", "2010-05"), (ACSA, A, "GBR", "concluded", "2017-01")),
    ),
    Case(
        WRITTEN,
        "フランスとの間では、15(平成27)年3月に防衛装備品・技術移転協定を、ドイツとの間では、17(同29)年7月に"
        "同協定を締結した。",
        ((TECH, A, "FRA", "concluded", "2015-03"), (TECH, A, "DEU", "concluded", "2017-07")),
    ),
    Case(
        WRITTEN,
        "日豪ACSAは2013年1月に、日英ACSAは2017年8月に発効した。",
        ((ACSA, A, "AUS", "in_force", "2013-01"), (ACSA, A, "GBR", "in_force", "2017-08")),
    ),
    # --- written: relative clauses -------------------------------------------------------------------
    Case(
        WRITTEN,
        "英国との間では、13(平成25)年3月に外務・防衛当局間の協議を開始した。同年7月に署名された日英情報保護協定が"
        "14(同26)年1月に発効し、両国間の情報共有の基盤が整った。",
        ((INFO, A, "GBR", "signed", "2013-07"), (INFO, A, "GBR", "in_force", "2014-01")),
    ),
    Case(
        WRITTEN,
        "2022年1月に署名された日豪円滑化協定は、2023年8月に発効した。",
        ((RAA, A, "AUS", "signed", "2022-01"), (RAA, A, "AUS", "in_force", "2023-08")),
    ),
    # --- written: amendments --------------------------------------------------------------------------
    Case(
        WRITTEN,
        "日米両国は、1996年に締結(1999年及び2004年に改正)した日米ACSAに基づき、物品・役務を相互に提供している。",
        (
            (ACSA, A, "USA", "concluded", "1996"),
            (ACSA, A, "USA", "amended", "1999"),
            (ACSA, A, "USA", "amended", "2004"),
        ),
    ),
    Case(
        WRITTEN,
        "2004年2月、日米物品役務相互提供協定が改定され、同年7月に発効した。",
        ((ACSA, A, "USA", "amended", "2004-02"), (ACSA, A, "USA", "in_force", "2004-07")),
    ),
    Case(
        WRITTEN,
        "日豪物品役務相互提供協定は2010年5月に署名された。本協定は2017年1月に改正された。",
        ((ACSA, A, "AUS", "signed", "2010-05"), (ACSA, A, "AUS", "amended", "2017-01")),
    ),
    # --- written: agreements the vocabulary does not list, and their kinds -----------------------------
    Case(
        WRITTEN,
        "2019年4月、ベトナムとの間で「防衛産業間協力の促進に関する覚書」に署名した。",
        (("防衛産業間協力の促進に関する覚書", R, "VNM", "signed", "2019-04"),),
    ),
    Case(
        WRITTEN,
        "2023年3月、フィリピンとの間で、人道支援・災害救援活動に関する取決めを作成した。",
        (("人道支援・災害救援活動に関する取決め", R, "PHL", "concluded", "2023-03"),),
    ),
    Case(
        WRITTEN,
        "2022年6月、英国との間で、防衛装備品の共同開発に関する取決めを取り交わした。",
        (("防衛装備品の共同開発に関する取決め", R, "GBR", "concluded", "2022-06"),),
    ),
    Case(
        WRITTEN,
        "2024年5月、防衛省とオーストラリア国防省との間で、日豪共同研究に関する実施取決めに署名した。",
        (("共同研究に関する実施取決め", R, "AUS", "signed", "2024-05"),),
    ),
    Case(
        WRITTEN,
        "1983年11月、日米両政府は、対米武器技術供与取極を締結した。",
        (("対米武器技術供与取極", R, "USA", "concluded", "1983-11"),),
    ),
    Case(
        WRITTEN,
        "2024年7月、防衛省と英国防省は、次期戦闘機の共同開発に関するアレンジメントに署名した。",
        (("次期戦闘機の共同開発に関するアレンジメント", R, "GBR", "signed", "2024-07"),),
    ),
    Case(
        WRITTEN,
        "2024年7月、日比両政府は、政府間枠組みを締結した。",
        (("政府間枠組み", R, "PHL", "concluded", "2024-07"),),
    ),
    Case(
        WRITTEN,
        "2024年7月、フィリピンとの間で部隊の相互訪問に関する協定に署名した。",
        (("部隊の相互訪問に関する協定", A, "PHL", "signed", "2024-07"),),
    ),
    Case(
        WRITTEN,
        "1960年1月、日米両国は、日本国とアメリカ合衆国との間の相互協力及び安全保障条約に署名し、同年6月に発効した。",
        (
            ("相互協力及び安全保障条約", A, "USA", "signed", "1960-01"),
            ("相互協力及び安全保障条約", A, "USA", "in_force", "1960-06"),
        ),
    ),
    Case(
        WRITTEN,
        "2010年6月、NATOとの間で情報保護協定に署名した。",
        ((INFO, A, "NATO", "signed", "2010-06"),),
    ),
    # declarations and joint statements: kind declaration; 発表 is not an event
    Case(
        WRITTEN,
        "2008年10月、日印安全保障協力に関する共同宣言に署名した。",
        ((DECL, D, "IND", "signed", "2008-10"),),
    ),
    Case(
        WRITTEN,
        "2014年7月、日豪首脳会談において、「21世紀のための特別な戦略的パートナーシップ」に関する共同声明に署名した。",
        (("21世紀のための特別な戦略的パートナーシップに関する共同声明", D, "AUS", "signed", "2014-07"),),
    ),
    Case(
        WRITTEN,
        "2022年10月、新たな「安全保障協力に関する日豪共同宣言」を発表した。",
        ((DECL, D, "AUS", "mentioned", ""),),
    ),
    # --- written: verbs and phrases --------------------------------------------------------------------
    Case(
        WRITTEN,
        "2024年7月の日比首脳会談において、日比物品役務相互提供協定の交渉開始で一致した。",
        ((ACSA, A, "PHL", "negotiation_started", "2024-07"),),
    ),
    Case(
        WRITTEN,
        "2023年5月、日NZ防衛相会談において、日NZ情報保護協定の策定作業の開始で一致した。",
        ((INFO, A, "NZL", "negotiation_started", "2023-05"),),
    ),
    Case(
        WRITTEN,
        "2024年2月、日伊首脳会談において、日伊 ACSA の交渉を開始することで一致した。",
        ((ACSA, A, "ITA", "negotiation_started", "2024-02"),),
    ),
    Case(
        WRITTEN,
        "2023年11月、フィリピンとの間で円滑化協定の交渉を開始した。",
        ((RAA, A, "PHL", "negotiation_started", "2023-11"),),
    ),
    Case(
        WRITTEN,
        "2023年11月、日比円滑化協定について交渉開始で一致し、2024年7月に署名した。",
        ((RAA, A, "PHL", "negotiation_started", "2023-11"), (RAA, A, "PHL", "signed", "2024-07")),
    ),
    Case(
        WRITTEN,
        "2022年1月、日英円滑化協定について実質合意に至った。",
        ((RAA, A, "GBR", "agreed", "2022-01"),),
    ),
    Case(
        WRITTEN,
        "2022年1月、オーストラリアと英国との間で円滑化協定に署名した。",
        ((RAA, A, "AUS", "signed", "2022-01"), (RAA, A, "GBR", "signed", "2022-01")),
    ),
    Case(
        WRITTEN,
        "2017年1月、米国とともに英国との間でACSAに署名した。",
        ((ACSA, A, "GBR", "signed", "2017-01"),),
    ),
    # written negatives: not realised, not an agreement, not Japan's, not an event date
    Case(
        WRITTEN,
        "2020年3月に予定されていた日比円滑化協定の署名は延期された。",
        ((RAA, A, "PHL", "mentioned", ""),),
    ),
    Case(
        WRITTEN,
        "2024年、日比物品役務相互提供協定の署名に向けた調整を進めることで一致した。",
        ((ACSA, A, "PHL", "mentioned", ""),),
    ),
    Case(WRITTEN, "日比円滑化協定は2024年中に発効する予定である。", ((RAA, A, "PHL", "mentioned", ""),)),
    Case(
        WRITTEN,
        "2014年7月、日豪防衛装備品・技術移転協定及び日豪情報保護協定の早期締結で一致した。",
        ((TECH, A, "AUS", "mentioned", ""), (INFO, A, "AUS", "mentioned", "")),
    ),
    Case(
        WRITTEN,
        "2023年には、英国及びイタリアとの間でACSAを作成した。",
        (),
    ),
    Case(WRITTEN, "2015年4月、日米防衛協力のための指針を改定した。", ()),
    Case(WRITTEN, "2024年、日伊アクション・プランを発表した。", ()),
    Case(WRITTEN, "2023年7月、日・NATO国別適合パートナーシップ計画(ITPP)に合意した。", ()),
    Case(WRITTEN, "2021年3月、日米合同委員会において、在日米軍の訓練移転に関する合意がなされた。", ()),
    Case(WRITTEN, "1995年に化学兵器禁止条約を締結した。", ()),
    Case(WRITTEN, "北朝鮮は、2024年6月、ロシアとの間で「包括的戦略的パートナーシップ条約」に署名した。", ()),
    Case(WRITTEN, "2021年1月、米国はロシアとの間で新戦略兵器削減条約の延長に合意した。", ()),
    Case(WRITTEN, "2025年4月現在、日英円滑化協定は発効している。", ()),
    Case(WRITTEN, "2023年度に日英円滑化協定に署名した。", ()),
    Case(WRITTEN, "2025年4月現在、オーストラリア、英国との間で締結、フィリピンとの間で署名されている。", ()),
    Case(
        WRITTEN,
        "2019年8月、韓国政府は日韓秘密軍事情報保護協定(GSOMIA)を終了させる旨を通告した。",
        ((GSOMIA, A, "KOR", "mentioned", ""),),
    ),
    # --- written: older editions' dates, 本年/昨年, partners named by the paragraph ---------------------
    Case(
        WRITTEN,
        "03(同15)年9月、シンガポールとの間で物品役務相互提供協定に署名した。",
        ((ACSA, A, "SGP", "signed", "2003-09"),),
        year=2004,
    ),
    Case(
        WRITTEN,
        "99年(平成11)年5月、日米物品役務相互提供協定が改正され、周辺事態における物品・役務の提供が可能となった。",
        ((ACSA, A, "USA", "amended", "1999-05"),),
        year=2000,
    ),
    Case(
        WRITTEN,
        "平成16年2月、日米両政府は改正日米ACSAに署名し、同年7月に発効した。",
        ((ACSA, A, "USA", "signed", "2004-02"), (ACSA, A, "USA", "in_force", "2004-07")),
        year=2005,
    ),
    Case(WRITTEN, "本年1月、日英円滑化協定に署名した。", ((RAA, A, "GBR", "signed", "2023-01"),), year=2023),
    Case(
        WRITTEN,
        "昨年1月、日豪円滑化協定に署名し、本年8月に発効した。",
        ((RAA, A, "AUS", "signed", "2022-01"), (RAA, A, "AUS", "in_force", "2023-08")),
        year=2023,
    ),
    Case(
        WRITTEN,
        "英国との間では、13(平成25)年7月に防衛装備品・技術移転協定に署名し、同月に発効した。また、14(同26)年1月に"
        "情報保護協定が発効した。",
        (
            (TECH, A, "GBR", "signed", "2013-07"),
            (TECH, A, "GBR", "in_force", "2013-07"),
            (INFO, A, "GBR", "in_force", "2014-01"),
        ),
        year=2014,
    ),
    Case(WRITTEN, "また、同年7月に情報保護協定を締結した。", (), previous="2013-03", year=2014),
    Case(
        WRITTEN,
        "英国との間では、2013年7月に防衛装備品・技術移転協定に署名し、その後、国会の承認を経て発効した。",
        (
            (TECH, A, "GBR", "signed", "2013-07"),
            (TECH, A, "GBR", "diet_approved", ""),
            (TECH, A, "GBR", "in_force", ""),
        ),
    ),
    Case(
        WRITTEN,
        "英国およびオーストラリアとの間で2014年12月にACSAに署名した。",
        ((ACSA, A, "GBR", "signed", "2014-12"), (ACSA, A, "AUS", "signed", "2014-12")),
    ),
    Case(
        WRITTEN,
        "2014年7月、日・マレーシア防衛装備品及び技術の移転に関する協定に署名した。",
        ((TECH, A, "MYS", "signed", "2014-07"),),
    ),
    Case(
        WRITTEN,
        "2013年1月、日豪ACSAが発効した。2013年1月、日豪ACSAが発効した。",
        ((ACSA, A, "AUS", "in_force", "2013-01"),),
    ),
    # written: the partner as the subject, 同国, context words; more of the older editions
    Case(
        WRITTEN,
        "インドネシアは、ASEANの中心的な国である。同国との間では、2021年3月に防衛装備品・技術移転協定に署名し、"
        "即日発効した。",
        ((TECH, A, "IDN", "signed", "2021-03"), (TECH, A, "IDN", "in_force", "2021-03")),
    ),
    Case(
        WRITTEN,
        "インドネシアは、2021年3月にわが国との間で防衛装備品・技術移転協定に署名した。",
        ((TECH, A, "IDN", "signed", "2021-03"),),
    ),
    Case(WRITTEN, "米国とフィリピンは、2014年4月に防衛協力強化協定に署名した。", ()),
    Case(WRITTEN, "フィリピンは、2014年4月に米国との間で防衛協力強化協定に署名した。", ()),
    Case(
        WRITTEN,
        "98(平成10)年4月、日米両政府は、周辺事態に際しての物品・役務の相互提供を可能とするため、日米ACSAを改正する"
        "協定に署名した。",
        ((ACSA, A, "USA", "amended", "1998-04"),),
        year=1999,
    ),
    Case(
        WRITTEN,
        "日米間では、1983年に対米武器技術供与に関する交換公文を締結している。",
        (("対米武器技術供与に関する交換公文", A, "USA", "concluded", "1983"),),
        year=2006,
    ),
    Case(
        WRITTEN,
        "2018年5月、日中間では、防衛当局間の海空連絡メカニズムに関する覚書に署名した。",
        (("海空連絡メカニズムに関する覚書", R, "CHN", "signed", "2018-05"),),
        year=2019,
    ),
    Case(
        WRITTEN,
        "日米安全保障条約は、60(昭和35)年1月に調印され、同年6月に効力を生じた。",
        (
            ("相互協力及び安全保障条約", A, "USA", "signed", "1960-01"),
            ("相互協力及び安全保障条約", A, "USA", "in_force", "1960-06"),
        ),
        year=1990,
    ),
    Case(
        WRITTEN,
        "2013年7月、日英防衛装備品・技術移転協定に署名し、同年12月に国会の承認を得て、2014年1月に発効した。",
        (
            (TECH, A, "GBR", "signed", "2013-07"),
            (TECH, A, "GBR", "diet_approved", "2013-12"),
            (TECH, A, "GBR", "in_force", "2014-01"),
        ),
    ),
)


def rows_of(case: Case) -> list[tuple[str, str, str, str, str]]:
    """The rows ``find_events`` gives for a case, as (agreement, kind, partner, event, date), sorted."""
    result = find_events(case.paragraph, case.previous, case.year)
    return sorted((e.agreement, e.kind, e.party.iso3 or e.party.canonical, e.event, e.date) for e in result.events)


@pytest.mark.parametrize("case", TABLE, ids=[f"{i:02d}-{case.source}" for i, case in enumerate(TABLE)])
def test_table(case: Case):
    assert rows_of(case) == sorted(case.rows)


def test_table_size_and_composition():
    """At least 60 sentences, real ones from several editions, and negatives among both."""
    real = [case for case in TABLE if case.source != WRITTEN]
    negatives = [case for case in TABLE if all(row[3] == "mentioned" for row in case.rows)]
    assert len(TABLE) >= 60
    assert len(real) >= 40 and {case.source[:4] for case in real} >= {"2016", "2019", "2023", "2025"}
    assert len(negatives) >= 25
