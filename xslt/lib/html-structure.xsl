<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text structure to HTML (mode st:html): divisions, headings, paragraphs, letter
  parts, verse, lists, tables, figures; and the table of contents (mode st:toc).

  A block of the source becomes an HTML block (div, section, p, ul, table, figure) where
  HTML allows one, and a span with the element's name as class where only phrasing
  content is allowed (st:inline-context, html-base.xsl): the same words, valid HTML. The
  content of a container rendered as a block (a division, a speech, a verse group) is
  known to be in flow content and goes on in mode st:flow, where that question is not
  asked (html-base.xsl).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== blocks where only phrases are allowed ===== -->

  <xsl:template match="(tei:p | tei:ab | tei:lg | tei:l | tei:list | tei:item | tei:label
      | tei:table | tei:row | tei:cell | tei:figure | tei:sp | tei:speaker | tei:stage
      | tei:castList | tei:castGroup | tei:castItem | tei:div | tei:div1 | tei:div2 | tei:div3
      | tei:div4 | tei:div5 | tei:div6 | tei:div7 | tei:floatingText | tei:head | tei:opener
      | tei:closer | tei:postscript | tei:epigraph | tei:argument | tei:trailer | tei:set
      | tei:titlePage | tei:docTitle | tei:byline | tei:docImprint | tei:signed | tei:salute
      | tei:dateline | tei:docAuthor | tei:docDate | tei:titlePart | tei:address | tei:addrLine
      | tei:text | tei:front | tei:body | tei:back | tei:group | tei:spGrp | tei:figDesc)
      [st:inline-context(.)]" mode="st:html" priority="5">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
    <!-- lines and list items keep apart, as they would in a block -->
    <xsl:if test="self::tei:l or self::tei:item or self::tei:addrLine or self::tei:row">
      <br/>
    </xsl:if>
  </xsl:template>

  <!-- ===== structure ===== -->

  <xsl:template match="tei:text" mode="st:html st:flow">
    <xsl:apply-templates mode="st:flow"/>
  </xsl:template>

  <!-- A text within a text (group, floatingText): a division of its own. -->
  <xsl:template match="tei:text[ancestor::tei:text]" mode="st:html st:flow" priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'text'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:flow"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:spGrp
      | tei:prologue | tei:epilogue | tei:performance" mode="st:html st:flow">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:choose>
        <!-- not among the blocks of the first template: rendered as a div even in
             phrasing content, so their content is not known to be in flow content -->
        <xsl:when test="self::tei:prologue | self::tei:epilogue | self::tei:performance">
          <xsl:apply-templates mode="st:html"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates mode="st:flow"/>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6
      | tei:div7 | tei:floatingText" mode="st:html st:flow">
    <section id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="('div', @type ! st:div-type(.))"/>
      </xsl:call-template>
      <xsl:call-template name="st:div-heading"/>
      <xsl:apply-templates mode="st:flow"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:div[@type = 'entry']" mode="st:html st:flow" priority="2">
    <article id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'entry'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:flow"/>
    </article>
  </xsl:template>

  <!-- A class for a division's type: our own name for the kinds editions use, never the
       data's own value. -->
  <xsl:function name="st:div-type" as="xs:string?">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="$st:div-headings($type) ! lower-case(.) ! replace(., '\s+', '-')"/>
  </xsl:function>

  <!-- EpiDoc's divisions (and the like) headed by their kind when the source gives no head. -->
  <xsl:variable name="st:div-headings" as="map(xs:string, xs:string)" select="map{
      'edition': 'Edition', 'translation': 'Translation', 'commentary': 'Commentary',
      'apparatus': 'Apparatus', 'bibliography': 'Bibliography', 'abstract': 'Abstract',
      'transcription': 'Transcription', 'description': 'Description'}"/>

  <xsl:template name="st:div-heading">
    <xsl:variable name="label" select="$st:div-headings(string(@type))"/>
    <xsl:if test="exists($label) and not(tei:head)">
      <!-- the level of a head of this division (st:heading-level counts it too) -->
      <xsl:element name="h{st:heading-level(.)}">
        <xsl:attribute name="class" select="'gen'"/>
        <xsl:value-of select="$label"/>
        <xsl:if test="@type = 'translation' and @xml:lang and st:lang-ok(@xml:lang)">
          <xsl:value-of select="' (' || st:bcp47(@xml:lang) || ')'"/>
        </xsl:if>
      </xsl:element>
    </xsl:if>
    <xsl:if test="@type = 'textpart' and normalize-space(@n) and not(tei:head)">
      <p class="textpart-n gen">
        <xsl:value-of select="normalize-space(string-join((@subtype, @n), ' '))"/>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:div/tei:head | tei:div1/tei:head | tei:div2/tei:head
      | tei:div3/tei:head | tei:div4/tei:head | tei:div5/tei:head | tei:div6/tei:head
      | tei:div7/tei:head | tei:floatingText/tei:head | tei:castList/tei:head
      | tei:front/tei:head | tei:body/tei:head | tei:back/tei:head | tei:group/tei:head"
      mode="st:html st:flow">
    <xsl:element name="h{st:heading-level(.)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
    </xsl:element>
  </xsl:template>

  <!-- Other heads (of a verse group, a speech, a list) head their block. -->
  <xsl:template match="tei:head" mode="st:html st:flow">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'head'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:html"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="st:html st:flow">
    <p>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:p[st:has-block(.)] | tei:ab[st:has-block(.)]" mode="st:html st:flow"
      priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:flow"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:epigraph | tei:argument
      | tei:trailer | tei:set | tei:titlePage | tei:docTitle | tei:byline | tei:docImprint
      | tei:signed | tei:salute | tei:dateline | tei:docAuthor | tei:docDate | tei:titlePart
      | tei:address" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:addrLine" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'addrLine'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
    <br/>
  </xsl:template>

  <!-- ===== verse ===== -->

  <xsl:template match="tei:lg" mode="st:html st:flow">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'lg'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:flow"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:l" mode="st:html st:flow">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'l'"/>
      </xsl:call-template>
      <xsl:call-template name="st:line-number"/>
      <xsl:apply-templates mode="st:html"/>
    </div>
  </xsl:template>

  <!-- A line's number (l/@n, lb/@n) where the reader needs one: every fifth, and any that
       is not a plain number (the source's own, irregular, numbering). -->
  <xsl:template name="st:line-number">
    <xsl:variable name="n" select="normalize-space(@n)"/>
    <xsl:if test="$n != '' and (not($n castable as xs:integer) or xs:integer($n) mod 5 = 0)">
      <span class="ln gen" aria-hidden="true"><xsl:value-of select="$n"/></span>
      <xsl:text> </xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- ===== lists ===== -->

  <xsl:template match="tei:list" mode="st:html">
    <xsl:apply-templates select="tei:head" mode="#current"/>
    <ul>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:head" mode="#current"/>
    </ul>
  </xsl:template>

  <xsl:template match="tei:list[@type = ('ordered', 'numbered', 'enumerated')
      or tokenize(@rend) = ('numbered', 'ordered')]" mode="st:html" priority="2">
    <xsl:apply-templates select="tei:head" mode="#current"/>
    <ol>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:head" mode="#current"/>
    </ol>
  </xsl:template>

  <!-- A glossary list, or any list that labels its items: label/item pairs as dt/dd. -->
  <xsl:template match="tei:list[@type = 'gloss' or tei:label]" mode="st:html" priority="3">
    <xsl:apply-templates select="tei:head" mode="#current"/>
    <dl>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'gloss'"/>
      </xsl:call-template>
      <xsl:apply-templates select="tei:label | tei:item" mode="st:gloss"/>
    </dl>
  </xsl:template>

  <xsl:mode name="st:gloss" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="tei:label" mode="st:gloss">
    <dt>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
      <xsl:if test="not(following-sibling::*[self::tei:label | self::tei:item][1][self::tei:item])">
        <xsl:call-template name="st:gloss-trailing"/>
      </xsl:if>
    </dt>
    <!-- a label with no item of its own still needs a description after it -->
    <xsl:if test="not(following-sibling::*[self::tei:label | self::tei:item][1][self::tei:item])">
      <dd class="gen" aria-hidden="true"/>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:item" mode="st:gloss">
    <!-- a list that starts with an item still needs a term first (the dl content model) -->
    <xsl:if test="not(preceding-sibling::tei:label | preceding-sibling::tei:item)">
      <dt class="gen" aria-hidden="true"/>
    </xsl:if>
    <dd>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
      <xsl:call-template name="st:gloss-trailing"/>
    </dd>
  </xsl:template>

  <!-- What stands between a pair and the next (a note, a page break) goes with the pair. -->
  <xsl:template name="st:gloss-trailing">
    <xsl:variable name="self" select="."/>
    <xsl:apply-templates mode="st:html" select="following-sibling::node()
        [not(self::tei:label | self::tei:item | self::tei:head)]
        [preceding-sibling::*[self::tei:label | self::tei:item][1] is $self]"/>
  </xsl:template>

  <xsl:template match="tei:list/tei:item | tei:castList/tei:castItem | tei:castGroup/tei:castItem"
      mode="st:html">
    <li>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>

  <!-- Text between list items (whitespace, stray words) must not sit directly in a ul. -->
  <xsl:template match="(tei:list | tei:castList | tei:castGroup)/text()" mode="st:html">
    <xsl:if test="normalize-space()">
      <li><xsl:value-of select="."/></li>
    </xsl:if>
  </xsl:template>

  <!-- Anything else between items (a note, a page break, a milestone) sits in an item. -->
  <xsl:template match="(tei:list[not(@type = 'gloss' or tei:label)] | tei:castList
      | tei:castGroup)/*[not(self::tei:item | self::tei:castItem | self::tei:castGroup
      | self::tei:head | self::tei:label | self::tei:roleDesc)]"
      mode="st:html" priority="4">
    <li class="between"><xsl:next-match/></li>
  </xsl:template>

  <xsl:template match="tei:label" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'label'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- ===== tables ===== -->

  <!-- Header rows (role="label") first, in thead; cells span @cols columns and @rows rows;
       a label cell is a th. -->
  <xsl:template match="tei:table" mode="st:html">
    <xsl:variable name="head-rows" select="tei:row[@role = 'label']
        [not(preceding-sibling::tei:row[not(@role = 'label')])]"/>
    <table>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="tei:head[1]" mode="st:caption"/>
      <xsl:if test="$head-rows">
        <thead><xsl:apply-templates select="$head-rows" mode="#current"/></thead>
      </xsl:if>
      <tbody>
        <xsl:apply-templates select="tei:row except $head-rows" mode="#current"/>
      </tbody>
    </table>
    <xsl:apply-templates select="node() except (tei:row | tei:head[1])" mode="st:table-rest"/>
  </xsl:template>

  <!-- What a table holds besides its rows (notes, page breaks, a second head) follows it. -->
  <xsl:mode name="st:table-rest" on-no-match="shallow-skip" use-accumulators="#all"/>
  <xsl:template match="*" mode="st:table-rest">
    <div class="table-extra"><xsl:apply-templates select="." mode="st:html"/></div>
  </xsl:template>

  <xsl:mode name="st:caption" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="tei:head" mode="st:caption">
    <caption>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="st:html"/>
    </caption>
  </xsl:template>

  <xsl:template match="tei:row" mode="st:html">
    <tr>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="tei:cell" mode="#current"/>
    </tr>
  </xsl:template>

  <xsl:template match="tei:cell" mode="st:html">
    <td>
      <xsl:call-template name="st:cell-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </td>
  </xsl:template>

  <xsl:template match="tei:cell[@role = 'label'] | tei:row[@role = 'label']/tei:cell[not(@role)]"
      mode="st:html" priority="2">
    <th scope="{if (../@role = 'label') then 'col' else 'row'}">
      <xsl:call-template name="st:cell-attrs"/>
      <xsl:apply-templates mode="#current"/>
    </th>
  </xsl:template>

  <xsl:template name="st:cell-attrs">
    <xsl:call-template name="st:attrs"/>
    <xsl:if test="@cols castable as xs:positiveInteger and xs:integer(@cols) gt 1">
      <xsl:attribute name="colspan" select="min((xs:integer(@cols), 1000))"/>
    </xsl:if>
    <xsl:if test="@rows castable as xs:positiveInteger and xs:integer(@rows) gt 1">
      <xsl:attribute name="rowspan" select="min((xs:integer(@rows), 65534))"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== figures ===== -->

  <!-- One caption made of the heads, then the images, paragraphs and nested figures. The
       description (figDesc) is the images' alternative text, shown when there is no
       image to carry it. -->
  <xsl:template match="tei:figure" mode="st:html">
    <figure>
      <xsl:call-template name="st:attrs"/>
      <xsl:if test="tei:head or (tei:figDesc and not(.//tei:graphic[st:image-src(.)]))">
        <figcaption>
          <xsl:for-each select="tei:head, tei:figDesc[not(current()//tei:graphic[st:image-src(.)])]">
            <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
            <span>
              <xsl:call-template name="st:attrs">
                <xsl:with-param name="class" select="local-name()"/>
              </xsl:call-template>
              <xsl:apply-templates mode="st:html"/>
            </span>
          </xsl:for-each>
        </figcaption>
      </xsl:if>
      <xsl:apply-templates select="node() except (tei:head | tei:figDesc)" mode="#current"/>
    </figure>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'figDesc'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- An image, when the site may show it (see st:image-src); its figure's description as
       alt text. -->
  <xsl:template match="tei:graphic[st:image-src(.)]" mode="st:html">
    <img src="{st:image-src(.)}" alt="{st:plain((../tei:figDesc, ../tei:head)[1])}" loading="lazy">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'graphic'"/>
      </xsl:call-template>
    </img>
  </xsl:template>

  <!-- An image that may not be shown is named, so that nothing is silently lost. -->
  <xsl:template match="tei:graphic | tei:media" mode="st:html">
    <xsl:if test="not(../tei:figDesc)">
      <span class="graphic-omitted gen">[image]</span>
    </xsl:if>
  </xsl:template>

  <xsl:function name="st:image-src" as="xs:string?">
    <xsl:param name="graphic" as="element()"/>
    <xsl:sequence select="st:image-src(normalize-space($graphic/@url), $docid)"/>
  </xsl:function>

  <!-- The document's local images (facsimiles, figures) that build copied into the site, one
       a line, as written in the source (st:local-image names the copy). -->
  <xsl:param name="facs-local" as="xs:string" select="''"/>

  <!-- Where the browser gets an image: https as it is, a local one from its copy in the site;
       none from anywhere else (http, a path the site does not hold, data:, javascript:). -->
  <xsl:function name="st:image-src" as="xs:string?">
    <xsl:param name="url" as="xs:string"/>
    <xsl:param name="docid" as="xs:string"/>
    <xsl:sequence select="if (matches($url, '^https://', 'i')) then st:href($url)
        else if ($url = tokenize($facs-local, '&#10;')) then st:local-image($docid, $url)
        else ()"/>
  </xsl:function>

  <!-- The name of a local image's copy in the site (site.py, local_image, makes the same). -->
  <xsl:function name="st:local-image" as="xs:string">
    <xsl:param name="docid" as="xs:string"/>
    <xsl:param name="url" as="xs:string"/>
    <xsl:sequence select="'facs-' || $docid || '-' || replace($url, '[^A-Za-z0-9._\-]', '_')"/>
  </xsl:function>

  <!-- ===== the object of an inscription (EpiDoc) and the like: see html-bibl.xsl ===== -->

  <!-- ===== table of contents ===== -->

  <xsl:template match="tei:div" mode="st:toc">
    <li>
      <a href="#{st:div-id(.)}">
        <xsl:value-of select="string-join((tei:head[1], tei:dateline[1]) ! st:plain(.), ' — ')"/>
      </a>
    </li>
  </xsl:template>

</xsl:stylesheet>
